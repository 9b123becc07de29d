import type { IcebergPrimitive } from '@lean-ops/contracts';

/**
 * Column metrics for a data file's manifest entry, keyed by Iceberg field id. Bounds use the spec's binary
 * single-value serialization (Appendix D); strings are compared by UTF-8 bytes (= code point order).
 */
export interface ColumnMetrics {
  valueCounts: Map<number, number>;
  nullValueCounts: Map<number, number>;
  lowerBounds: Map<number, Uint8Array>;
  upperBounds: Map<number, Uint8Array>;
}

/** Iceberg's default metrics mode is truncate(16): string bounds keep at most 16 code points. */
export const STRING_BOUND_CODE_POINTS = 16;

const utf8 = new TextEncoder();

function int32Le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
}

function int64Le(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, n, true);
  return b;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!; // i < both lengths
  return a.length - b.length;
}

/** A lower bound: a prefix is never greater than the value. */
function truncateLower(s: string): string {
  const cps = Array.from(s);
  return cps.length <= STRING_BOUND_CODE_POINTS ? s : cps.slice(0, STRING_BOUND_CODE_POINTS).join('');
}

/** An upper bound: the prefix with its last incrementable code point incremented; undefined if none can be. */
function truncateUpper(s: string): string | undefined {
  const cps = Array.from(s);
  if (cps.length <= STRING_BOUND_CODE_POINTS) return s;
  const head = cps.slice(0, STRING_BOUND_CODE_POINTS);
  for (let i = head.length - 1; i >= 0; i--) {
    let cp = head[i]!.codePointAt(0)! + 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000; // surrogates are not code points of their own
    if (cp <= 0x10ffff) return head.slice(0, i).join('') + String.fromCodePoint(cp);
  }
  return undefined;
}

/** Metrics of one top-level primitive column; `values` are the Parquet-ready values (null for missing). */
export function addColumnMetrics(metrics: ColumnMetrics, fieldId: number, type: IcebergPrimitive, values: readonly unknown[]): void {
  let nulls = 0;
  let min: unknown;
  let max: unknown;
  let minBytes: Uint8Array | undefined;
  let maxBytes: Uint8Array | undefined;
  for (const v of values) {
    if (v === null || v === undefined) {
      nulls++;
      continue;
    }
    if (type === 'string') {
      const bytes = utf8.encode(v as string);
      if (!minBytes || compareBytes(bytes, minBytes) < 0) [min, minBytes] = [v, bytes];
      if (!maxBytes || compareBytes(bytes, maxBytes) > 0) [max, maxBytes] = [v, bytes];
    } else if (type === 'boolean') {
      if (min === undefined || ((min as boolean) && !v)) min = v;
      if (max === undefined || (!(max as boolean) && v)) max = v;
    } else {
      // int and long/timestamptz (bigint) compare numerically.
      if (min === undefined || (v as number | bigint) < (min as number | bigint)) min = v;
      if (max === undefined || (v as number | bigint) > (max as number | bigint)) max = v;
    }
  }
  metrics.valueCounts.set(fieldId, values.length);
  metrics.nullValueCounts.set(fieldId, nulls);
  if (min === undefined || max === undefined) return;
  switch (type) {
    case 'string': {
      metrics.lowerBounds.set(fieldId, utf8.encode(truncateLower(min as string)));
      const upper = truncateUpper(max as string);
      if (upper !== undefined) metrics.upperBounds.set(fieldId, utf8.encode(upper));
      return;
    }
    case 'int':
      metrics.lowerBounds.set(fieldId, int32Le(min as number));
      metrics.upperBounds.set(fieldId, int32Le(max as number));
      return;
    case 'long':
    case 'timestamptz':
      metrics.lowerBounds.set(fieldId, int64Le(min as bigint));
      metrics.upperBounds.set(fieldId, int64Le(max as bigint));
      return;
    case 'boolean':
      metrics.lowerBounds.set(fieldId, Uint8Array.of(min ? 1 : 0));
      metrics.upperBounds.set(fieldId, Uint8Array.of(max ? 1 : 0));
      return;
  }
}

export const emptyMetrics = (): ColumnMetrics => ({
  valueCounts: new Map(),
  nullValueCounts: new Map(),
  lowerBounds: new Map(),
  upperBounds: new Map(),
});
