import { RAW_COLUMNS, RAW_LAST_COLUMN_ID, RAW_SCHEMA_ID, rawIcebergSchema, type IcebergPrimitive, type RawColumn } from '@lean-ops/contracts';

/** The table this package writes: the RAW schema from contracts, unpartitioned, unsorted. */
export const TABLE_SCHEMA_ID = RAW_SCHEMA_ID;
export const LAST_COLUMN_ID = RAW_LAST_COLUMN_ID;
export const COLUMNS: readonly RawColumn[] = RAW_COLUMNS;
export const tableSchemaJson = (): Record<string, unknown> => rawIcebergSchema();

export const PARTITION_SPEC_ID = 0;
/** Unpartitioned: no fields. Partition field ids start at 1000, so the spec's last assigned id is 999. */
export const PARTITION_FIELDS: readonly unknown[] = [];
export const LAST_PARTITION_ID = 999;
export const SORT_ORDER_ID = 0;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
const isWellFormed = (s: string): boolean => (nativeWellFormed ? nativeWellFormed.call(s) : !LONE_SURROGATE.test(s));
const COLUMN_NAMES = new Set(COLUMNS.map((c) => c.name));

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Why a value does not fit an Iceberg primitive, or null. */
function primitiveProblem(type: IcebergPrimitive, value: unknown): string | null {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return `expected string, got ${describe(value)}`;
      // A lone surrogate cannot be encoded as UTF-8 (Parquet strings must be UTF-8); it would be replaced silently.
      return isWellFormed(value) ? null : 'string contains a lone UTF-16 surrogate (not valid UTF-8)';
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected int, got ${describe(value)} ${String(value)}`;
      return value < INT_MIN || value > INT_MAX ? `int out of 32-bit range: ${value}` : null;
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected long, got ${describe(value)} ${String(value)}`;
      return Number.isSafeInteger(value) ? null : `long beyond 2^53 cannot be represented exactly in JSON: ${value}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected boolean, got ${describe(value)}`;
    case 'timestamptz':
      // "For Timestamp data types, you must always send in microseconds" (Firehose developer guide,
      // apache-iceberg-destination-supp): an integer count since the epoch; ISO text is not a timestamp here.
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return `expected timestamp as epoch microseconds (integer), got ${describe(value)} ${JSON.stringify(value).slice(0, 80)}`;
      }
      return Number.isSafeInteger(value) ? null : `timestamp microseconds beyond 2^53 cannot be represented exactly in JSON: ${value}`;
  }
}

/** Why a present, non-null value does not fit its column (Iceberg type, list elements included), or null. */
export function columnValueProblem(column: RawColumn, value: unknown): string | null {
  if (typeof column.type === 'string') {
    const problem = primitiveProblem(column.type, value);
    return problem ? `column "${column.name}": ${problem}` : null;
  }
  if (!Array.isArray(value)) return `column "${column.name}": expected list, got ${describe(value)}`;
  for (let i = 0; i < value.length; i++) {
    const element = value[i];
    if (element === null || element === undefined) {
      if (column.type.elementRequired) return `column "${column.name}": element ${i} is null but elements are required`;
      continue;
    }
    const problem = primitiveProblem(column.type.element, element);
    if (problem) return `column "${column.name}" element ${i}: ${problem}`;
  }
  return null;
}

/** The first top-level key that is not a column, or undefined. */
export function unknownColumn(record: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(record)) if (!COLUMN_NAMES.has(key)) return key;
  return undefined;
}

/** The first required column that is absent or null, or undefined. Optional columns may be absent or null. */
export function missingRequiredColumn(record: Record<string, unknown>): string | undefined {
  for (const column of COLUMNS) {
    const value = record[column.name];
    if (column.required && (value === undefined || value === null)) return column.name;
  }
  return undefined;
}

export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why a JSON record does not fit the RAW table (top-level keys are columns; unknown column, missing required column
 * or wrong type fail the record), or null when it fits. The local Firehose applies the same checks one by one
 * with AWS's error codes (apps/local firehose record rules); the writer calls this before every commit.
 */
export function validateRow(row: unknown): string | null {
  if (!isJsonObject(row)) return `record is not a JSON object (got ${describe(row)})`;
  const unknown = unknownColumn(row);
  if (unknown !== undefined) return `unknown column "${unknown}"`;
  const missing = missingRequiredColumn(row);
  if (missing !== undefined) return `missing required column "${missing}"`;
  for (const column of COLUMNS) {
    const value = row[column.name];
    if (value === undefined || value === null) continue;
    const problem = columnValueProblem(column, value);
    if (problem) return problem;
  }
  return null;
}

/** A validated JSON value -> the value written to Parquet (timestamps as microseconds, longs as bigint). */
export function toParquetValue(type: IcebergPrimitive, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'timestamptz' || type === 'long') return BigInt(value as number);
  return value;
}
