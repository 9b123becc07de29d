import { dealBatches } from './parallel-send';
import type { PlannedBatch } from './plan-batches';

const batch = (topic: string, first: number): PlannedBatch => ({ topic, indexes: [first, first + 1], bytes: 2, single: false });

describe('dealBatches', () => {
  it('deals round-robin so every sender gets every topic, and never makes an empty lane', () => {
    const batches = [batch('a', 0), batch('b', 2), batch('a', 4), batch('b', 6), batch('a', 8)];
    expect(dealBatches(batches, 2).map((lane) => lane.map((b) => b.indexes[0]))).toEqual([
      [0, 4, 8],
      [2, 6],
    ]);
    expect(dealBatches(batches, 8)).toHaveLength(5);
    expect(dealBatches([], 4)).toEqual([[]]);
  });
});
