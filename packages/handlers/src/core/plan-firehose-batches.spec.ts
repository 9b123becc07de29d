import { LIMITS } from '@lean-ops/contracts';
import { planFirehoseBatches } from './plan-firehose-batches';

const recs = (n: number, bytes: number) => Array.from({ length: n }, (_, i) => ({ id: i, bytes }));

describe('planFirehoseBatches', () => {
  it('returns no calls for no records', () => expect(planFirehoseBatches([])).toEqual([]));

  it('caps calls at 500 records', () => {
    const plan = planFirehoseBatches(recs(1001, 10));
    expect(plan.map((b) => b.length)).toEqual([500, 500, 1]);
  });

  it('caps calls at 4 MiB of record data', () => {
    const plan = planFirehoseBatches(recs(10, 1000 * 1024));
    expect(plan.map((b) => b.length)).toEqual([4, 4, 2]);
    for (const b of plan) expect(b.reduce((s, r) => s + r.bytes, 0)).toBeLessThanOrEqual(LIMITS.firehoseMaxBatchBytes);
  });

  it('fills a call exactly to 4 MiB', () => {
    const plan = planFirehoseBatches(recs(5, LIMITS.firehoseMaxBatchBytes / 4));
    expect(plan.map((b) => b.length)).toEqual([4, 1]);
  });

  it('keeps order and loses nothing', () => {
    const input = recs(1234, 3000);
    const plan = planFirehoseBatches(input);
    expect(plan.flat().map((r) => r.id)).toEqual(input.map((r) => r.id));
    for (const b of plan) expect(b.length).toBeLessThanOrEqual(500);
  });
});
