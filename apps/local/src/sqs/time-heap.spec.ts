import { TimeHeap } from './time-heap';

describe('TimeHeap', () => {
  it('pops entries in due-time order whatever the push order', () => {
    const heap = new TimeHeap<{ at: number; id: number }>();
    const times = [50, 10, 40, 10, 30, 70, 0, 20, 60, 35];
    times.forEach((at, id) => heap.push({ at, id }));
    expect(heap.size).toBe(times.length);
    expect(heap.peek()?.at).toBe(0);
    const out: number[] = [];
    for (let e = heap.pop(); e; e = heap.pop()) out.push(e.at);
    expect(out).toEqual([...times].sort((x, y) => x - y));
    expect(heap.size).toBe(0);
  });

  it('answers undefined when empty and forgets everything on clear', () => {
    const heap = new TimeHeap<{ at: number }>();
    expect(heap.pop()).toBeUndefined();
    heap.push({ at: 1 });
    heap.clear();
    expect(heap.peek()).toBeUndefined();
  });
});
