import { parentPort, workerData } from 'node:worker_threads';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LaneInput, LaneMessage } from './parallel-send';
import { sendBatches } from './send-batches';
import { sqsJsonTransport } from './sqs-json-transport';

/** One sender lane in its own thread: its own SQS client (so its own keep-alive connections), its share of the batches. */
async function run(input: LaneInput): Promise<void> {
  const bodies: string[] = [];
  for (const [index, body] of input.entries) bodies[index] = body;
  // The SDK client resolves the credentials (given, or the SDK's default chain); the calls go the lean way.
  const client = new SQSClient({ ...input.client });
  const transport = sqsJsonTransport({
    region: input.client.region,
    ...(input.client.endpoint ? { endpoint: input.client.endpoint } : {}),
    credentials: client.config.credentials,
    maxSockets: input.settings.concurrency,
  });
  // Loaded and ready: wait for the word, so every sender starts at once and thread start-up is not sending time.
  const go = new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
  parentPort!.postMessage({ type: 'ready' } satisfies LaneMessage);
  await go;
  try {
    const report = await sendBatches(input.batches, bodies, input.queueUrls, transport, {
      ...input.settings,
      ...(input.progressEveryMs === undefined ? {} : { onProgress: throttled(input.progressEveryMs) }),
    });
    const sent: number[] = [];
    report.sent.forEach((ok, i) => ok && sent.push(i));
    parentPort!.postMessage({ type: 'done', sent, failures: report.failures, calls: report.calls, retries: report.retries } satisfies LaneMessage);
  } finally {
    transport.close();
    client.destroy();
  }
}

/** Posts progress at most every `ms`, and always the last count. */
function throttled(ms: number): (done: number, total: number) => void {
  let last = -Infinity;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < ms) return;
    last = now;
    parentPort!.postMessage({ type: 'progress', done } satisfies LaneMessage);
  };
}

run(workerData as LaneInput).catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies LaneMessage);
});
