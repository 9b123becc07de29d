import { deliverRecords, type PutEntryResult } from './deliver-records';
import type { RetryOptions } from './retry-plan';

const retry: RetryOptions = { maxAttempts: 3, baseMs: 50, capMs: 1000, safetyMarginMs: 2000 };
const named = (name: string) => Object.assign(new Error(name), { name });

function harness(put: (batch: readonly number[], call: number) => PutEntryResult[] | Error, remaining = 60_000) {
  const calls: number[][] = [];
  const sleeps: number[] = [];
  const deliver = (records: number[]) =>
    deliverRecords(records, {
      put: async (batch) => {
        calls.push([...batch]);
        const r = put(batch, calls.length);
        if (r instanceof Error) throw r;
        return r;
      },
      remainingMs: () => remaining,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      retry,
    });
  return { deliver, calls, sleeps };
}

const okAll = (b: readonly number[]): PutEntryResult[] => b.map(() => ({ ok: true }));

describe('deliverRecords', () => {
  it('delivers in one call', async () => {
    const h = harness(okAll);
    expect(await h.deliver([1, 2])).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    expect(h.calls).toHaveLength(1);
  });

  it('re-sends only the records that failed inside a successful call', async () => {
    const h = harness((b, call) => b.map((r) => (call === 1 && r % 2 === 0 ? { ok: false, errorCode: 'ServiceUnavailableException' } : { ok: true })));
    const out = await h.deliver([1, 2, 3, 4]);
    expect(out.every((o) => o.status === 'delivered')).toBe(true);
    expect(h.calls).toEqual([
      [1, 2, 3, 4],
      [2, 4],
    ]);
    expect(h.sleeps).toEqual([25]);
  });

  it('reports RETRY FIREHOSE_RECORD_FAILED after the attempts run out', async () => {
    const h = harness((b) => b.map((r) => (r === 2 ? { ok: false, errorCode: 'InternalFailure', errorMessage: 'x' } : { ok: true })));
    const out = await h.deliver([1, 2, 3]);
    expect(out[0]).toEqual({ status: 'delivered' });
    expect(out[1]).toMatchObject({ status: 'failed', disposition: 'RETRY', reason: 'FIREHOSE_RECORD_FAILED' });
    expect(h.calls).toEqual([[1, 2, 3], [2], [2]]);
  });

  it('retries throttling of the whole call, then succeeds', async () => {
    const h = harness((b, call) => (call < 3 ? named('ServiceUnavailableException') : okAll(b)));
    expect((await h.deliver([1, 2])).every((o) => o.status === 'delivered')).toBe(true);
    expect(h.calls).toHaveLength(3);
  });

  it('gives up on persistent throttling with RETRY THROTTLED', async () => {
    const h = harness(() => named('ThrottlingException'));
    const out = await h.deliver([1, 2]);
    expect(out).toEqual([
      expect.objectContaining({ status: 'failed', disposition: 'RETRY', reason: 'THROTTLED' }),
      expect.objectContaining({ status: 'failed', disposition: 'RETRY', reason: 'THROTTLED' }),
    ]);
    expect(h.calls).toHaveLength(3);
  });

  it('bisects a whole-call rejection down to the poison record, which alone is dropped', async () => {
    const h = harness((b) => (b.includes(7) ? named('InvalidArgumentException') : okAll(b)));
    const records = Array.from({ length: 20 }, (_, i) => i);
    const out = await h.deliver(records);
    expect(out[7]).toMatchObject({ status: 'failed', disposition: 'DROP', reason: 'FIREHOSE_REJECTED' });
    expect(out.filter((o) => o.status === 'delivered')).toHaveLength(19);
  });

  it('bisects a rejection that happens on a re-send, keeping what was delivered', async () => {
    const h = harness((b, call) => {
      if (call === 1) return b.map((r) => (r >= 2 ? { ok: false, errorCode: 'ServiceUnavailableException' } : { ok: true }));
      return b.includes(3) ? named('InvalidArgumentException') : okAll(b);
    });
    const out = await h.deliver([0, 1, 2, 3, 4]);
    expect(out.map((o) => (o.status === 'delivered' ? 'ok' : o.reason))).toEqual(['ok', 'ok', 'ok', 'FIREHOSE_REJECTED', 'ok']);
  });

  it('does not call at all when the time budget is gone', async () => {
    const h = harness(okAll, 1000);
    expect(await h.deliver([1])).toEqual([expect.objectContaining({ status: 'failed', disposition: 'RETRY', reason: 'TIMEOUT' })]);
    expect(h.calls).toHaveLength(0);
  });

  it('treats missing response entries as failures, not successes', async () => {
    const h = harness((b) => b.slice(0, 1).map(() => ({ ok: true })));
    const out = await h.deliver([1, 2]);
    expect(out).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    // Record 2 had no entry in the first response, so it was sent again rather than assumed delivered.
    expect(h.calls).toEqual([[1, 2], [2]]);
  });

  it('maps unknown errors to RETRY UNKNOWN', async () => {
    const h = harness(() => new Error('boom'));
    expect(await h.deliver([1])).toEqual([expect.objectContaining({ disposition: 'RETRY', reason: 'UNKNOWN' })]);
  });
});
