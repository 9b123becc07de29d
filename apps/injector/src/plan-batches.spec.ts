import { LIMITS } from '@lean-ops/contracts';
import { planBatches, SQS_BATCH_LIMITS } from './plan-batches';

const msg = (topic: string, bytes: number) => ({ topic, bytes });

describe('planBatches', () => {
  it('uses the SQS limits from contracts', () => {
    expect(SQS_BATCH_LIMITS).toEqual({ maxEntries: LIMITS.sqsMaxBatchEntries, maxBatchBytes: LIMITS.sqsMaxMessageBytes });
  });

  it('packs each topic into batches of at most 10 entries, in order, every message once', () => {
    const messages = Array.from({ length: 95 }, (_, i) => msg(['orders', 'payments', 'clickstream'][i % 3] ?? 'orders', 200));
    const batches = planBatches(messages);
    expect(batches.every((b) => b.indexes.length <= 10 && !b.single)).toBe(true);
    expect(batches.every((b) => b.indexes.every((i) => messages[i]?.topic === b.topic))).toBe(true);
    expect(batches.flatMap((b) => b.indexes).sort((a, b) => a - b)).toEqual(messages.map((_, i) => i));
    for (const b of batches) expect(b.indexes).toEqual([...b.indexes].sort((x, y) => x - y));
    // 32 orders -> 10+10+10+2, 32 payments likewise, 31 clickstream -> 10+10+10+1.
    expect(batches).toHaveLength(12);
  });

  it('closes a batch before its bodies would exceed the byte limit', () => {
    const big = 400 * 1024;
    const batches = planBatches([msg('orders', big), msg('orders', big), msg('orders', big), msg('orders', 10)]);
    expect(batches.map((b) => b.indexes)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(batches.every((b) => b.bytes <= LIMITS.sqsMaxMessageBytes)).toBe(true);
  });

  it('fits a message of exactly the limit alone in a batch', () => {
    const batches = planBatches([msg('orders', 10), msg('orders', LIMITS.sqsMaxMessageBytes), msg('orders', 10)]);
    expect(batches.map((b) => b.indexes)).toEqual([[0], [1], [2]]);
  });

  it('sends a message larger than the batch limit alone with SendMessage', () => {
    const batches = planBatches([msg('orders', 10), msg('orders', 300 * 1024), msg('orders', 10)], { maxEntries: 10, maxBatchBytes: 256 * 1024 });
    expect(batches.find((b) => b.single)).toEqual({ topic: 'orders', indexes: [1], bytes: 300 * 1024, single: true });
    expect(batches.find((b) => !b.single)?.indexes).toEqual([0, 2]);
  });

  it('honours a smaller entry limit', () => {
    const batches = planBatches(
      Array.from({ length: 7 }, () => msg('orders', 10)),
      { maxEntries: 3, maxBatchBytes: 1000 },
    );
    expect(batches.map((b) => b.indexes.length)).toEqual([3, 3, 1]);
  });
});
