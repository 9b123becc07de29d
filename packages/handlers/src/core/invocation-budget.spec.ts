import { InvocationBudget } from './invocation-budget';

describe('InvocationBudget', () => {
  const opts = { reserveMs: 1000, safetyFactor: 2, initialPerRecordMs: 2 };
  it('starts work only while the time left covers its measured cost twice, beyond the reserve', () => {
    let left = 5000;
    const b = new InvocationBudget(() => left, opts);
    expect(b.canStart(500)).toBe(true); // 500 x 2 ms x 2 = 2,000 < 4,000
    b.observe(500, 2500); // 5 ms per record measured
    expect(b.canStart(500)).toBe(false); // 5,000 > 4,000
    expect(b.canStart(300)).toBe(true);
    left = 1200;
    expect(b.canStart(1)).toBe(true);
    expect(b.canStart(100)).toBe(false);
  });
  it('by default starts a full batch of 1,000 in a 5 s invocation before anything was measured', () => {
    expect(new InvocationBudget(() => 5000).canStart(1000)).toBe(true);
    expect(new InvocationBudget(() => 1050).canStart(100)).toBe(false);
  });
  it('follows a slower machine at once and a faster one gradually', () => {
    const b = new InvocationBudget(() => 10_000, opts);
    b.observe(10, 100);
    expect(b.estimatePerRecordMs).toBe(10);
    b.observe(10, 10);
    expect(b.estimatePerRecordMs).toBe(5.5);
  });
  it('stops in-flight calls halfway into the reserve', () => {
    expect(new InvocationBudget(() => 3000, opts).hardStopInMs()).toBe(2500);
    expect(new InvocationBudget(() => 100, opts).hardStopInMs()).toBe(0);
  });
});
