import { RAW_COLUMNS, type RawColumn, type RawRow } from '@lean-ops/contracts';
import { columnValueProblem, isJsonObject, missingRequiredColumn, unknownColumn } from '@lean-ops/iceberg';

export type RecordVerdict = { ok: true; row: RawRow } | { ok: false; errorCode: string; errorMessage: string };

/** One rule the Iceberg destination applies to every record, with the AWS page it comes from. */
export interface RecordRule {
  id: string;
  /** Amazon Data Firehose developer guide page (or the reason when AWS is silent). */
  doc: string;
  errorCode: string;
  /** Why the record breaks the rule, or null. Runs only on a JSON object. */
  check: (record: Record<string, unknown>) => string | null;
}

const TIMESTAMP_COLUMNS = RAW_COLUMNS.filter((c) => c.type === 'timestamptz') as readonly RawColumn[];
const OTHER_COLUMNS = RAW_COLUMNS.filter((c) => c.type !== 'timestamptz') as readonly RawColumn[];

function firstValueProblem(record: Record<string, unknown>, columns: readonly RawColumn[]): string | null {
  for (const column of columns) {
    const value = record[column.name];
    if (value === undefined || value === null) continue;
    const problem = columnValueProblem(column, value);
    if (problem) return problem;
  }
  return null;
}

/**
 * The Firehose Iceberg destination's record rules, in the order they are checked. The error codes are the ones
 * Firehose writes to the error output (`Iceberg.MissingColumnWithinRecord` and friends); a record that breaks a rule
 * is retried until the stream's retry duration ends and then written to the error output, never to the table.
 */
export const RECORD_RULES: readonly RecordRule[] = [
  {
    id: 'top-level-keys-are-columns',
    // AWS documents that keys map to columns (apache-iceberg-format-input-record) but not what happens to a key
    // without a column: the stricter choice is to fail the record, so a typo never drops data silently.
    doc: 'apache-iceberg-format-input-record (silent on unknown keys: stricter, the record fails)',
    errorCode: 'Iceberg.UnknownColumnWithinRecord',
    check: (r) => {
      const key = unknownColumn(r);
      return key === undefined ? null : `unknown column "${key}"`;
    },
  },
  {
    id: 'required-columns-present',
    doc: 'apache-iceberg-format-input-record; required Iceberg fields (Iceberg spec, Schemas)',
    errorCode: 'Iceberg.MissingColumnWithinRecord',
    check: (r) => {
      const column = missingRequiredColumn(r);
      return column === undefined ? null : `missing required column "${column}"`;
    },
  },
  {
    id: 'timestamps-are-microseconds',
    doc: 'apache-iceberg-destination-supp: "For Timestamp data types, you must always send in microseconds"',
    errorCode: 'Iceberg.SchemaMismatch',
    check: (r) => firstValueProblem(r, TIMESTAMP_COLUMNS),
  },
  {
    id: 'values-match-column-types',
    doc: 'apache-iceberg-destination-supp: the primitive and complex types Iceberg supports (Iceberg spec, Schemas and Data Types)',
    errorCode: 'Iceberg.SchemaMismatch',
    check: (r) => firstValueProblem(r, OTHER_COLUMNS),
  },
];

/**
 * A record is one JSON object whose top-level keys are the table's columns and whose values fit their types.
 * Anything else cannot be written and, after the retry duration, goes to the error output. `parsed` saves a
 * second JSON.parse when the caller already parsed the data.
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
  if (!isJsonObject(value)) {
    return { ok: false, errorCode: 'Iceberg.InvalidJson', errorMessage: `Record is not a JSON object (got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})` };
  }
  for (const rule of RECORD_RULES) {
    const problem = rule.check(value);
    if (problem !== null) return { ok: false, errorCode: rule.errorCode, errorMessage: `${problem} [rule ${rule.id}]` };
  }
  return { ok: true, row: value as unknown as RawRow };
}

/** Parses a record once; undefined when it is not JSON. */
export function tryParse(data: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(data.toString('utf8')) };
  } catch {
    return undefined;
  }
}
