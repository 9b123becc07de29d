import { addColumnMetrics, emptyMetrics } from './metrics';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const le64 = (b: Uint8Array | undefined) => (b ? new DataView(b.buffer, b.byteOffset).getBigInt64(0, true) : undefined);
const le32 = (b: Uint8Array | undefined) => (b ? new DataView(b.buffer, b.byteOffset).getInt32(0, true) : undefined);

describe('column metrics', () => {
  it('counts values and nulls and serializes long bounds as 8-byte little-endian', () => {
    const m = emptyMetrics();
    addColumnMetrics(m, 3, 'timestamptz', [5n, null, -7n, 12n, null]);
    expect(m.valueCounts.get(3)).toBe(5);
    expect(m.nullValueCounts.get(3)).toBe(2);
    expect(m.lowerBounds.get(3)).toHaveLength(8);
    expect(le64(m.lowerBounds.get(3))).toBe(-7n);
    expect(le64(m.upperBounds.get(3))).toBe(12n);
  });

  it('serializes int bounds as 4-byte little-endian', () => {
    const m = emptyMetrics();
    addColumnMetrics(m, 7, 'int', [3, 1, 2]);
    expect(m.lowerBounds.get(7)).toHaveLength(4);
    expect(le32(m.lowerBounds.get(7))).toBe(1);
    expect(le32(m.upperBounds.get(7))).toBe(3);
  });

  it('writes no bounds for an all-null column', () => {
    const m = emptyMetrics();
    addColumnMetrics(m, 3, 'timestamptz', [null, null]);
    expect(m.nullValueCounts.get(3)).toBe(2);
    expect(m.lowerBounds.has(3)).toBe(false);
    expect(m.upperBounds.has(3)).toBe(false);
  });

  it('orders strings by UTF-8 bytes (code points), not UTF-16 units', () => {
    const m = emptyMetrics();
    // U+FF5E sorts below U+1F600 by code point, above it by UTF-16 unit.
    addColumnMetrics(m, 1, 'string', ['\u{1F600}', '\uFF5E', 'a']);
    expect(text(m.lowerBounds.get(1))).toBe('a');
    expect(text(m.upperBounds.get(1))).toBe('\u{1F600}');
  });

  it('truncates long strings to 16 code points, rounding the upper bound up', () => {
    const m = emptyMetrics();
    const long = 'abcdefghijklmnopqrstuvwxyz';
    addColumnMetrics(m, 5, 'string', [long, 'abc']);
    expect(text(m.lowerBounds.get(5))).toBe('abc');
    expect(text(m.upperBounds.get(5))).toBe('abcdefghijklmnoq');
    expect(text(m.upperBounds.get(5))! > long).toBe(true);
  });

  it('omits an upper bound that cannot be rounded up', () => {
    const m = emptyMetrics();
    addColumnMetrics(m, 5, 'string', ['\u{10FFFF}'.repeat(20)]);
    expect(m.lowerBounds.has(5)).toBe(true);
    expect(m.upperBounds.has(5)).toBe(false);
  });
});
