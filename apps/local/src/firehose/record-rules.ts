import type { RawRow } from '@lean-ops/contracts';
import { validateRow } from '@lean-ops/iceberg';

export type RecordVerdict = { ok: true; row: RawRow } | { ok: false; errorCode: string; errorMessage: string };

/**
 * The Iceberg destination's record rule: a record is one JSON object whose top-level keys are the table's
 * columns. Anything else (not JSON, unknown or missing column, wrong type) cannot be written and, after the retry
 * duration, goes to the error output. `parsed` saves a second JSON.parse when the caller already parsed the data.
 */
export function judgeRecord(data: Buffer, parsed?: { value: unknown } | undefined): RecordVerdict {
  let value: unknown;
  if (parsed) value = parsed.value;
  else {
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch (err) {
      return { ok: false, errorCode: 'Iceberg.InvalidJson', errorMessage: `Record is not valid JSON: ${(err as Error).message}` };
    }
  }
  const reason = validateRow(value);
  if (reason === null) return { ok: true, row: value as RawRow };
  if (reason.startsWith('missing required column')) return { ok: false, errorCode: 'Iceberg.MissingColumnWithinRecord', errorMessage: reason };
  if (reason.startsWith('unknown column')) return { ok: false, errorCode: 'Iceberg.UnknownColumnWithinRecord', errorMessage: reason };
  return { ok: false, errorCode: 'Iceberg.SchemaMismatch', errorMessage: reason };
}

/** Parses a record once; undefined when it is not JSON. */
export function tryParse(data: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(data.toString('utf8')) };
  } catch {
    return undefined;
  }
}
