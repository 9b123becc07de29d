import { planBatches } from './plan-batches';
import { sendBatches, type SendSettings } from './send-batches';
import type { BatchResult, SqsTransport } from './sqs-transport';

const QUEUES = { orders: 'http://sqs/q/orders', payments: 'http://sqs/q/payments' };
const noWait: Partial<SendSettings> = { sleep: async () => undefined, random: () => 0.5 };

function messages(n: number, topics = ['orders', 'payments']) {
  return Array.from({ length: n }, (_, i) => ({ topic: topics[i % topics.length] ?? 'orders', body: `{"n":${i}}`, bytes: `{"n":${i}}`.length }));
}

/** A fake SQS: records what arrived per queue and answers each call with `answer`. */
function fakeTransport(answer: (call: number, entries: ReadonlyArray<{ id: string; body: string }>) => BatchResult | Error = (_, e) => ({ successful: e.map((x) => x.id), failed: [] })) {
  const received: Record<string, string[]> = {};
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: SqsTransport = {
    async sendBatch(queueUrl, entries) {
      const call = ++calls;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      const out = answer(call, entries);
      if (out instanceof Error) throw out;
      const ok = new Set(out.successful);
      (received[queueUrl] ??= []).push(...entries.filter((e) => ok.has(e.id)).map((e) => e.body));
      return out;
    },
    async sendOne(queueUrl, body) {
      calls++;
      (received[queueUrl] ??= []).push(body);
    },
  };
  return { transport, received, stats: () => ({ calls, maxInFlight }) };
}

describe('sendBatches', () => {
  it('delivers every message to its topic queue and reports progress up to the total', async () => {
    const msgs = messages(45);
    const fake = fakeTransport();
    const progress: number[] = [];
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      {
        concurrency: 3,
        rate: 'unlimited',
        ...noWait,
        onProgress: (done, total) => {
          expect(total).toBe(45);
          progress.push(done);
        },
      },
    );
    expect(report.sent.every(Boolean)).toBe(true);
    expect(report.failures).toEqual([]);
    expect(fake.received[QUEUES.orders]).toHaveLength(23);
    expect(fake.received[QUEUES.payments]).toHaveLength(22);
    expect(progress[progress.length - 1]).toBe(45);
    // 23 orders -> 10+10+3, 22 payments -> 10+10+2.
    expect(report.calls).toEqual({ sendMessageBatch: 6, sendMessage: 0 });
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const msgs = messages(200);
    const fake = fakeTransport();
    await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      { concurrency: 4, rate: 'unlimited', ...noWait },
    );
    expect(fake.stats().maxInFlight).toBe(4);
  });

  it('re-sends entries SQS failed with SenderFault false, and reports SenderFault true ones without retrying', async () => {
    const msgs = messages(10, ['orders']);
    const fake = fakeTransport((call, entries) =>
      call === 1
        ? {
            successful: entries.slice(2).map((e) => e.id),
            failed: [
              { id: entries[0]?.id ?? 'missing', senderFault: false, code: 'InternalError', message: 'try again' },
              { id: entries[1]?.id ?? 'missing', senderFault: true, code: 'InvalidMessageContents', message: 'bad characters' },
            ],
          }
        : { successful: entries.map((e) => e.id), failed: [] },
    );
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      { concurrency: 1, rate: 'unlimited', ...noWait },
    );
    expect(report.sent.filter(Boolean)).toHaveLength(9);
    expect(report.sent[1]).toBe(false);
    expect(report.failures).toEqual([{ index: 1, code: 'InvalidMessageContents', message: 'bad characters', permanent: true, attempts: 1 }]);
    expect(report.retries).toBe(1);
    expect(fake.received[QUEUES.orders]).toHaveLength(9);
    expect(fake.stats().calls).toBe(2);
  });

  it('re-sends an entry missing from both Successful and Failed', async () => {
    const msgs = messages(3, ['orders']);
    const fake = fakeTransport((call, entries) => ({ successful: (call === 1 ? entries.slice(1) : entries).map((e) => e.id), failed: [] }));
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      { concurrency: 1, rate: 'unlimited', ...noWait },
    );
    expect(report.sent).toEqual([true, true, true]);
    expect(report.retries).toBe(1);
  });

  it('retries a throttled call with growing backoff, then gives up after maxAttempts', async () => {
    const msgs = messages(2, ['orders']);
    const throttled = Object.assign(new Error('slow down'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } });
    const fake = fakeTransport(() => throttled);
    const waits: number[] = [];
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      {
        concurrency: 1,
        rate: 'unlimited',
        maxAttempts: 4,
        backoffBaseMs: 100,
        backoffCapMs: 300,
        random: () => 1,
        sleep: async (ms) => void waits.push(ms),
      },
    );
    expect(waits).toEqual([100, 200, 300]);
    expect(report.failures).toEqual([
      { index: 0, code: 'RequestThrottled', message: 'slow down', permanent: false, attempts: 4 },
      { index: 1, code: 'RequestThrottled', message: 'slow down', permanent: false, attempts: 4 },
    ]);
  });

  it('does not retry a call that failed for a permanent reason', async () => {
    const msgs = messages(2, ['orders']);
    const denied = Object.assign(new Error('no access'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const fake = fakeTransport(() => denied);
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      { concurrency: 1, rate: 'unlimited', ...noWait },
    );
    expect(fake.stats().calls).toBe(1);
    expect(report.failures.map((f) => [f.index, f.code, f.permanent])).toEqual([
      [0, 'AccessDenied', true],
      [1, 'AccessDenied', true],
    ]);
  });

  it('recovers from a transient error on the next attempt', async () => {
    const msgs = messages(4, ['orders']);
    const fake = fakeTransport((call, entries) => (call === 1 ? Object.assign(new Error('reset'), { code: 'ECONNRESET' }) : { successful: entries.map((e) => e.id), failed: [] }));
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fake.transport,
      { concurrency: 1, rate: 'unlimited', ...noWait },
    );
    expect(report.sent).toEqual([true, true, true, true]);
    expect(fake.received[QUEUES.orders]).toHaveLength(4);
  });

  it('sends a single-message batch with SendMessage', async () => {
    const bodies = ['a', 'b'];
    const fake = fakeTransport();
    const report = await sendBatches(
      [
        { topic: 'orders', indexes: [0], bytes: 1, single: true },
        { topic: 'orders', indexes: [1], bytes: 1, single: false },
      ],
      bodies,
      QUEUES,
      fake.transport,
      {
        concurrency: 1,
        rate: 'unlimited',
        ...noWait,
      },
    );
    expect(report.calls).toEqual({ sendMessageBatch: 1, sendMessage: 1 });
    expect(fake.received[QUEUES.orders]).toEqual(['a', 'b']);
  });

  it('waits for the rate: 50 records at 100/s take about half a second of waits', async () => {
    const msgs = messages(50, ['orders']);
    let clock = 0;
    const report = await sendBatches(
      planBatches(msgs),
      msgs.map((m) => m.body),
      QUEUES,
      fakeTransport().transport,
      {
        concurrency: 1,
        rate: 100,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
        random: () => 0,
      },
    );
    expect(report.sent.every(Boolean)).toBe(true);
    expect(clock).toBeCloseTo(500, 0);
  });
});
