import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { PlannedBatch } from './plan-batches';
import { startScriptWorker } from './script-worker';
import { bodyOf, type SendFailure, type SendReport, type SendSettings } from './send-batches';

/** What a sender thread needs to build its own SQS client: plain data, since it crosses a thread boundary. */
export interface LaneClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface LaneInput {
  client: LaneClientConfig;
  batches: PlannedBatch[];
  /** [message index, body] of this lane's messages only. */
  entries: Array<[number, string]>;
  queueUrls: Record<string, string>;
  settings: Omit<SendSettings, 'onProgress' | 'sleep' | 'random' | 'now'>;
  /** Post progress at most this often (and once at the end); absent: no progress messages. */
  progressEveryMs?: number;
}

export type LaneMessage =
  { type: 'ready' } | { type: 'progress'; done: number } | { type: 'done'; sent: number[]; failures: SendFailure[]; calls: SendReport['calls']; retries: number } | { type: 'error'; message: string };

const PROGRESS_EVERY_MS = 100;

/** Deals batches round-robin to `lanes` lanes, so every lane gets every topic and a like share of bytes. */
export function dealBatches(batches: ReadonlyArray<PlannedBatch>, lanes: number): PlannedBatch[][] {
  const count = Math.max(1, Math.min(lanes, batches.length));
  return Array.from({ length: count }, (_, lane) => batches.filter((_, i) => i % count === lane));
}

/**
 * Starts `connections` parallel senders, each a worker thread with its own SQS client and HTTP keep-alive
 * connections, so signing, serializing and checking MD5s use more than one core; resolves once all are loaded.
 * `send()` then sends every batch (the rate limit shared out evenly) and merges the senders' reports.
 */
export async function startConnections(
  batches: ReadonlyArray<PlannedBatch>,
  bodies: ReadonlyArray<string>,
  queueUrls: Readonly<Record<string, string>>,
  client: LaneClientConfig,
  settings: Omit<SendSettings, 'sleep' | 'random' | 'now'>,
  connections: number,
): Promise<{ send(): Promise<SendReport> }> {
  const lanes = dealBatches(batches, connections);
  const total = batches.reduce((n, b) => n + b.indexes.length, 0);
  const file = path.join(__dirname, `send-worker${path.extname(__filename)}`);
  const report: SendReport = { sent: bodies.map(() => false), failures: [], calls: { sendMessageBatch: 0, sendMessage: 0 }, retries: 0 };
  const doneByLane = lanes.map(() => 0);
  const { onProgress, ...rest } = settings;
  const laneSettings = { ...rest, rate: rest.rate === 'unlimited' ? rest.rate : rest.rate / lanes.length };
  const merge = (msg: Extract<LaneMessage, { type: 'done' }>) => {
    for (const i of msg.sent) report.sent[i] = true;
    report.failures.push(...msg.failures);
    report.calls.sendMessageBatch += msg.calls.sendMessageBatch;
    report.calls.sendMessage += msg.calls.sendMessage;
    report.retries += msg.retries;
  };

  const ready: Array<Promise<void>> = [];
  const finished = lanes.map((laneBatches, lane) => {
    const entries: Array<[number, string]> = laneBatches.flatMap((b) => b.indexes.map((i): [number, string] => [i, bodyOf(bodies, i)]));
    // Progress only when asked for, and throttled: each message is work for this thread, which may be serving the sends.
    const progress = onProgress ? { progressEveryMs: PROGRESS_EVERY_MS } : {};
    const worker = startScriptWorker(file, { client, batches: laneBatches, entries, queueUrls: { ...queueUrls }, settings: laneSettings, ...progress });
    let isReady: () => void = () => undefined;
    ready.push(new Promise<void>((resolve) => (isReady = resolve)));
    const done = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (msg: LaneMessage) => {
        if (msg.type === 'ready') isReady();
        else if (msg.type === 'progress') {
          doneByLane[lane] = msg.done;
          onProgress?.(
            doneByLane.reduce((a, b) => a + b, 0),
            total,
          );
        } else if (msg.type === 'error') reject(new Error(`sender ${lane + 1}: ${msg.message}`));
        else merge(msg);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve(worker) : reject(new Error(`sender ${lane + 1} exited with code ${code}`))));
    });
    return { worker, done };
  });
  // A sender that fails while loading must not leave the caller waiting for its `ready`.
  await Promise.race([Promise.all(ready), Promise.all(finished.map((f) => f.done))]);
  return {
    async send() {
      for (const f of finished) f.worker.postMessage('go');
      await Promise.all(finished.map((f) => f.done));
      report.failures.sort((a, b) => a.index - b.index);
      return report;
    },
  };
}
