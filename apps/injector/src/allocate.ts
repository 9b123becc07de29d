/**
 * Splits `total` into whole counts proportional to `weights` (largest remainder), so a mix of 2% of
 * 5,000 is exactly 100 messages and the counts always add up to `total`.
 */
export function allocate(total: number, weights: ReadonlyArray<number>): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const slot = order[k]; // k < order.length, which is weights.length > 0 here
    if (slot) counts[slot.i] = (counts[slot.i] ?? 0) + 1;
  }
  return counts;
}
