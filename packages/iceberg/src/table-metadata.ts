import { randomBytes, randomUUID } from 'node:crypto';
import { UnsupportedTableError } from './errors';
import { LAST_COLUMN_ID, LAST_PARTITION_ID, PARTITION_FIELDS, PARTITION_SPEC_ID, SORT_ORDER_ID, TABLE_SCHEMA_ID, tableSchemaJson } from './schema';

/** Snapshot summary (string map; `operation` required). */
export type SnapshotSummary = Record<string, string> & { operation: string };

export interface Snapshot {
  'snapshot-id': number;
  'parent-snapshot-id'?: number;
  'sequence-number': number;
  'timestamp-ms': number;
  'manifest-list': string;
  summary: SnapshotSummary;
  'schema-id': number;
}

/** V2 table metadata (spec "Table Metadata Fields"), as this writer produces it. */
export interface TableMetadata {
  'format-version': 2;
  'table-uuid': string;
  location: string;
  'last-sequence-number': number;
  'last-updated-ms': number;
  'last-column-id': number;
  schemas: Array<Record<string, unknown>>;
  'current-schema-id': number;
  'partition-specs': Array<{ 'spec-id': number; fields: unknown[] }>;
  'default-spec-id': number;
  'last-partition-id': number;
  properties: Record<string, string>;
  /** -1 when the table has no snapshot, as the reference implementation writes it. */
  'current-snapshot-id': number;
  refs: Record<string, { 'snapshot-id': number; type: 'branch' | 'tag' }>;
  snapshots: Snapshot[];
  statistics: unknown[];
  'partition-statistics': unknown[];
  'snapshot-log': Array<{ 'timestamp-ms': number; 'snapshot-id': number }>;
  'metadata-log': Array<{ 'timestamp-ms': number; 'metadata-file': string }>;
  'sort-orders': Array<{ 'order-id': number; fields: unknown[] }>;
  'default-sort-order-id': number;
}

/** Keeps the metadata log bounded, like `write.metadata.previous-versions-max` (default 100). */
export const METADATA_LOG_MAX = 100;

export function initialMetadata(location: string, nowMs: number): TableMetadata {
  return {
    'format-version': 2,
    'table-uuid': randomUUID(),
    location,
    'last-sequence-number': 0,
    'last-updated-ms': nowMs,
    'last-column-id': LAST_COLUMN_ID,
    schemas: [tableSchemaJson()],
    'current-schema-id': TABLE_SCHEMA_ID,
    'partition-specs': [{ 'spec-id': PARTITION_SPEC_ID, fields: [...PARTITION_FIELDS] }],
    'default-spec-id': PARTITION_SPEC_ID,
    'last-partition-id': LAST_PARTITION_ID,
    properties: {
      'write.format.default': 'parquet',
      'write.parquet.compression-codec': 'snappy',
      'write.metadata.previous-versions-max': String(METADATA_LOG_MAX),
    },
    'current-snapshot-id': -1,
    refs: {},
    snapshots: [],
    statistics: [],
    'partition-statistics': [],
    'snapshot-log': [],
    'metadata-log': [],
    'sort-orders': [{ 'order-id': SORT_ORDER_ID, fields: [] }],
    'default-sort-order-id': SORT_ORDER_ID,
  };
}

export function currentSnapshot(m: TableMetadata): Snapshot | undefined {
  return m['current-snapshot-id'] === -1 ? undefined : m.snapshots.find((s) => s['snapshot-id'] === m['current-snapshot-id']);
}

export interface AppendFacts {
  snapshotId: number;
  sequenceNumber: number;
  timestampMs: number;
  manifestList: string;
  addedRecords: number;
  addedFilesSize: number;
  /** Location of the metadata file this commit replaces (for `metadata-log`). */
  previousMetadataFile: string;
}

/** Java's SnapshotSummary keys; totals carry over from the parent snapshot. */
export function appendSummary(parent: Snapshot | undefined, f: AppendFacts): SnapshotSummary {
  const total = (key: string) => Number(parent?.summary[key] ?? 0);
  return {
    operation: 'append',
    'added-data-files': '1',
    'added-records': String(f.addedRecords),
    'added-files-size': String(f.addedFilesSize),
    'changed-partition-count': '1',
    'total-records': String(total('total-records') + f.addedRecords),
    'total-files-size': String(total('total-files-size') + f.addedFilesSize),
    'total-data-files': String(total('total-data-files') + 1),
    'total-delete-files': String(total('total-delete-files')),
    'total-position-deletes': String(total('total-position-deletes')),
    'total-equality-deletes': String(total('total-equality-deletes')),
  };
}

/** The metadata after one append commit (a new snapshot on `main`); the base is not modified. */
export function withAppend(base: TableMetadata, f: AppendFacts): TableMetadata {
  const parent = currentSnapshot(base);
  const snapshot: Snapshot = {
    'snapshot-id': f.snapshotId,
    ...(parent ? { 'parent-snapshot-id': parent['snapshot-id'] } : {}),
    'sequence-number': f.sequenceNumber,
    'timestamp-ms': f.timestampMs,
    'manifest-list': f.manifestList,
    summary: appendSummary(parent, f),
    'schema-id': base['current-schema-id'],
  };
  return {
    ...base,
    'last-sequence-number': f.sequenceNumber,
    'last-updated-ms': f.timestampMs,
    'current-snapshot-id': f.snapshotId,
    refs: { ...base.refs, main: { 'snapshot-id': f.snapshotId, type: 'branch' } },
    snapshots: [...base.snapshots, snapshot],
    'snapshot-log': [...base['snapshot-log'], { 'timestamp-ms': f.timestampMs, 'snapshot-id': f.snapshotId }],
    'metadata-log': [...base['metadata-log'], { 'timestamp-ms': base['last-updated-ms'], 'metadata-file': f.previousMetadataFile }].slice(-METADATA_LOG_MAX),
  };
}

/** Parses a metadata file and refuses what this writer cannot extend safely. */
export function parseMetadata(text: string, file: string): TableMetadata {
  let m: TableMetadata;
  try {
    m = JSON.parse(text) as TableMetadata;
  } catch (e) {
    throw new UnsupportedTableError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null) throw new UnsupportedTableError(`${file}: not a JSON object`);
  if (m['format-version'] !== 2) throw new UnsupportedTableError(`${file}: format-version ${String(m['format-version'])}, expected 2`);
  // Optional fields: absent means empty (the reference implementation also reads a missing current id as -1).
  m['current-snapshot-id'] ??= -1;
  m.refs ??= {};
  m.snapshots ??= [];
  m['snapshot-log'] ??= [];
  m['metadata-log'] ??= [];
  // JSON numbers lose precision beyond 2^53; snapshot ids from other writers may be that large.
  const ids = [m['current-snapshot-id'], ...m.snapshots.map((s) => s['snapshot-id'])];
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) throw new UnsupportedTableError(`${file}: snapshot id ${String(id)} is not exactly representable`);
  }
  return m;
}

/** A fresh snapshot id: positive and below 2^53 so that every JSON and JavaScript reader keeps it exact. */
export function newSnapshotId(): number {
  const bytes = randomBytes(8);
  const id = (bytes.readUInt32BE(0) & 0x1fffff) * 2 ** 32 + bytes.readUInt32BE(4);
  return id === 0 ? 1 : id;
}
