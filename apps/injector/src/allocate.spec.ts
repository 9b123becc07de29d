import { allocate } from './allocate';

describe('allocate', () => {
  it('splits exactly and always adds up', () => {
    expect(allocate(5000, [2, 1, 2])).toEqual([2000, 1000, 2000]);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(7, [33.3, 33.3, 33.4])).toEqual([2, 2, 3]);
    for (const total of [1, 2, 99, 1001]) expect(allocate(total, [0.5, 2, 97.5]).reduce((s, c) => s + c, 0)).toBe(total);
  });
  it('gives nothing to a zero weight', () => {
    expect(allocate(10, [0, 5, 0])).toEqual([0, 10, 0]);
    expect(allocate(10, [0, 0])).toEqual([0, 0]);
  });
});
