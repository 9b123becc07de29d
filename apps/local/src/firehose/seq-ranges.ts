/** Sorted sequence numbers <-> inclusive [from, to] ranges (journal lines stay short for contiguous flushes). */
export function toRanges(seqs: number[]): Array<[number, number]> {
  const sorted = [...seqs].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s === last[1] + 1) last[1] = s;
    else if (!last || s > last[1]) out.push([s, s]);
  }
  return out;
}

export function addRanges(set: Set<number>, ranges: Array<[number, number]>): void {
  for (const [from, to] of ranges) for (let s = from; s <= to; s++) set.add(s);
}
