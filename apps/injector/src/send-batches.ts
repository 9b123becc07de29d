import type { PlannedBatch } from './plan-batches';
import { errorCode, isTransientError, type SqsTransport } from './sqs-transport';
import { TokenBucket } from './token-bucket';

export interface SendFailure {
  /** Index into the message list. */
  index: number;
  code: string;
  message: string;
  /** SQS said the request was wrong (not retried), or the error was not transient. */
  permanent: boolean;
  attempts: number;
}

export interface SendSettings {
  /** Calls in flight at once. */
  concurrency: number;
  /** Records per second, or 'unlimited'. */
  rate: number | 'unlimited';
  /** Attempts per entry, counting the first (default 8). */
  maxAttempts?: number;
  /** Full-jitter backoff between attempts (defaults 100 ms, capped at 5 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Messages finished (sent, or failed for good) so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SendReport {
  sent: boolean[];
  failures: SendFailure[];
  calls: { sendMessageBatch: number; sendMessage: number };
  /** Entries sent again after a transient failure. */
  retries: number;
}

const DEFAULT_MAX_ATTEMPTS = 8;
/** The body of message `index`; a batch naming a message that has none is a planning bug, reported as such. */
export function bodyOf(bodies: ReadonlyArray<string>, index: number): string {
  const body = bodies[index];
  if (body === undefined) throw new RangeError(`no body for message ${index} (${bodies.length} messages)`);
  return body;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends planned batches with bounded concurrency and an optional rate. Per-entry failures that SQS
 * marks `SenderFault: false` (throttling, internal errors) are re-sent with backoff; `SenderFault: true`
 * entries are reported, since the same request would fail again.
 */
export async function sendBatches(
  batches: ReadonlyArray<PlannedBatch>,
  bodies: ReadonlyArray<string>,
  queueUrls: Readonly<Record<string, string>>,
  transport: SqsTransport,
  settings: SendSettings,
): Promise<SendReport> {
  const maxAttempts = settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const base = settings.backoffBaseMs ?? 100;
  const cap = settings.backoffCapMs ?? 5000;
  const sleep = settings.sleep ?? sleepMs;
  const random = settings.random ?? Math.random;
  const total = batches.reduce((s, b) => s + b.indexes.length, 0);
  const maxEntries = batches.reduce((m, b) => Math.max(m, b.indexes.length), 1);
  const bucket = settings.rate === 'unlimited' ? undefined : new TokenBucket(settings.rate, Math.max(settings.rate, maxEntries), settings.now);

  const report: SendReport = { sent: bodies.map(() => false), failures: [], calls: { sendMessageBatch: 0, sendMessage: 0 }, retries: 0 };
  let done = 0;

  const throttle = async (n: number) => {
    const wait = bucket?.reserve(n) ?? 0;
    if (wait > 0) await sleep(wait);
  };
  const backoff = (attempt: number) => sleep(random() * Math.min(cap, base * 2 ** (attempt - 1)));

  const sendBatch = async (batch: PlannedBatch) => {
    const queueUrl = queueUrls[batch.topic];
    if (queueUrl === undefined) throw new Error(`no queue URL for topic ${batch.topic}`);
    let pending = batch.indexes.slice();
    let last: { code: string; message: string } = { code: 'Unknown', message: '' };
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        report.retries += pending.length;
        await backoff(attempt - 1);
      }
      await throttle(pending.length);
      try {
        const [first] = pending; // pending is not empty inside the loop
        if (batch.single && first !== undefined) {
          report.calls.sendMessage++;
          await transport.sendOne(queueUrl, bodyOf(bodies, first));
          report.sent[first] = true;
          pending = [];
          continue;
        }
        report.calls.sendMessageBatch++;
        const result = await transport.sendBatch(
          queueUrl,
          pending.map((i) => ({ id: `m${i}`, body: bodyOf(bodies, i) })),
        );
        for (const id of result.successful) report.sent[Number(id.slice(1))] = true;
        const retry = new Set<number>();
        for (const f of result.failed) {
          const index = Number(f.id.slice(1));
          if (f.senderFault) report.failures.push({ index, code: f.code, message: f.message, permanent: true, attempts: attempt });
          else {
            retry.add(index);
            last = { code: f.code, message: f.message };
          }
        }
        // An entry in neither list has no known outcome: send it again (duplicates are allowed, loss is not).
        const answered = new Set([...result.successful, ...result.failed.map((f) => f.id)]);
        for (const i of pending) if (!answered.has(`m${i}`)) retry.add(i);
        pending = pending.filter((i) => retry.has(i));
      } catch (err) {
        last = { code: errorCode(err), message: (err as Error)?.message ?? String(err) };
        if (!isTransientError(err)) {
          for (const index of pending) report.failures.push({ index, ...last, permanent: true, attempts: attempt });
          pending = [];
        }
      }
    }
    for (const index of pending) report.failures.push({ index, ...last, permanent: false, attempts: maxAttempts });
    done += batch.indexes.length;
    settings.onProgress?.(done, total);
  };

  // one iterator shared by the workers: each takes the next batch when it is free
  const queue = batches.values();
  const worker = async () => {
    for (const batch of queue) await sendBatch(batch);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.concurrency, batches.length)) }, worker));
  report.failures.sort((a, b) => a.index - b.index);
  return report;
}
