/** An entry due at `at` (milliseconds since the epoch). */
export interface TimedEntry {
  at: number;
}

/**
 * Min-heap by due time: when in-flight and delayed messages become visible. Sifts move a hole rather than
 * swapping pairs; entries with equal times come out in no promised order.
 */
export class TimeHeap<T extends TimedEntry> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p];
      if (parent === undefined || parent.at <= item.at) break;
      a[i] = parent;
      i = p;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      let c = l;
      let child = a[l];
      if (child === undefined) break;
      const right = a[l + 1];
      if (right !== undefined && right.at < child.at) {
        child = right;
        c = l + 1;
      }
      if (child.at >= last.at) break;
      a[i] = child;
      i = c;
    }
    a[i] = last;
    return top;
  }

  clear(): void {
    this.items = [];
  }
}
