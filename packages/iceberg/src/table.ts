import { epochMicrosToIso, type RawRow } from '@lean-ops/contracts';
import { randomUUID } from 'node:crypto';
import { parquetReadObjects } from 'hyparquet';
import { decodeAvroContainer } from './avro-container';
import { CONTENT_DATA, ENTRY_STATUS, type ManifestEntryRecord, type ManifestFileRecord } from './avro-schemas';
import { CommitConflictError, RowSchemaError, TableNotFoundError, UnsupportedTableError } from './errors';
import type { FileIO } from './file-io';
import { addedEntry, encodeManifest, encodeManifestList, manifestListMetadata, newManifestFile } from './manifests';
import { encodeDataFile } from './parquet-file';
import { validateRow } from './schema';
import { currentSnapshot, initialMetadata, newSnapshotId, withAppend } from './table-metadata';
import { displayPath, operationsOf, type LoadedTable, type TableOperations, type TableRef } from './table-operations';

export interface CommitResult {
  version: number;
  snapshotId: bigint | number;
  sequenceNumber: number;
  addedRecords: number;
  /** Location URI of the new data file. */
  dataFile: string;
  /** The new metadata file: its absolute path for a file-system table, else its location URI. */
  metadataFile: string;
  /** Location URI of the new metadata file. */
  metadataLocation: string;
}

/** Commit attempts before giving up when other writers keep taking the next version. */
const MAX_COMMIT_ATTEMPTS = 20;

async function loadTable(ops: TableOperations): Promise<LoadedTable> {
  const loaded = await ops.current();
  if (!loaded) throw new TableNotFoundError(ops.name);
  return loaded;
}

/**
 * Gives the table its first metadata (no snapshot) unless it has some: a file-system table's `v1.metadata.json`,
 * or a catalog table's first `metadata_location`.
 */
export async function createTable(table: TableRef): Promise<void> {
  const ops = operationsOf(table);
  if (await ops.current()) return;
  // Losing this race means another writer created the same empty table: equally fine.
  await ops.commit(undefined, initialMetadata(await ops.newTableLocation(), Date.now()));
}

async function readManifestList(io: FileIO, uri: string): Promise<ManifestFileRecord[]> {
  return (await decodeAvroContainer<ManifestFileRecord>(Buffer.from(await io.read(uri)))).records;
}

async function readManifest(io: FileIO, uri: string): Promise<ManifestEntryRecord[]> {
  return (await decodeAvroContainer<ManifestEntryRecord>(Buffer.from(await io.read(uri)))).records;
}

/** Observation points inside a commit (tests use them to interleave another writer). */
export interface CommitHooks {
  /** Runs after an attempt's manifest and list are written, just before it tries to publish `version`. */
  beforePublish?: (version: number, attempt: number) => Promise<void>;
}

/** Writes the snapshot's manifest and manifest list for one attempt and publishes the next version. */
async function tryCommit(
  ops: TableOperations,
  base: LoadedTable,
  snapshotId: number,
  attempt: number,
  dataFile: Parameters<typeof addedEntry>[0],
  hooks: CommitHooks,
): Promise<CommitResult | undefined> {
  const { metadata } = base;
  const parent = currentSnapshot(metadata);
  const sequenceNumber = metadata['last-sequence-number'] + 1;
  const entries = [addedEntry(dataFile, snapshotId, sequenceNumber)];

  const manifestBytes = await encodeManifest(entries);
  const manifestLocation = ops.fileLocation(metadata, 'metadata', `${randomUUID()}-m0.avro`);
  await ops.io.write(manifestLocation, manifestBytes);

  // Fast append: the previous snapshot's manifests are carried unchanged (their sequence numbers stay).
  const carried = parent ? await readManifestList(ops.io, parent['manifest-list']) : [];
  const manifests = [newManifestFile(manifestLocation, manifestBytes.length, snapshotId, sequenceNumber, entries), ...carried];
  const listBytes = await encodeManifestList(manifests, manifestListMetadata(snapshotId, parent?.['snapshot-id'], sequenceNumber));
  const listLocation = ops.fileLocation(metadata, 'metadata', `snap-${snapshotId}-${attempt}-${randomUUID()}.avro`);
  await ops.io.write(listLocation, listBytes);

  const next = withAppend(metadata, {
    snapshotId,
    sequenceNumber,
    // Snapshot times never go backwards, even if the clock does.
    timestampMs: Math.max(Date.now(), metadata['last-updated-ms']),
    manifestList: listLocation,
    addedRecords: dataFile.content.recordCount,
    addedFilesSize: dataFile.sizeInBytes,
    previousMetadataFile: base.metadataLocation,
  });
  const version = base.version + 1;
  await hooks.beforePublish?.(version, attempt);
  const metadataLocation = await ops.commit(base, next);
  if (!metadataLocation) return undefined;
  return {
    version,
    snapshotId,
    sequenceNumber,
    addedRecords: dataFile.content.recordCount,
    dataFile: dataFile.uri,
    metadataFile: displayPath(metadataLocation),
    metadataLocation,
  };
}

/**
 * Appends rows as one commit: a new Parquet data file, a manifest for it, a manifest list with the previous
 * snapshot's manifests plus the new one, then the next metadata version. If another writer committed first, the
 * table is reloaded and the manifest, list and version are redone (the data file is reused).
 * Throws `RowSchemaError` (nothing written) if any row does not fit the table.
 */
export function appendRows(table: TableRef, rows: RawRow[]): Promise<CommitResult> {
  return appendRowsWithHooks(table, rows, {});
}

export async function appendRowsWithHooks(table: TableRef, rows: RawRow[], hooks: CommitHooks): Promise<CommitResult> {
  for (let i = 0; i < rows.length; i++) {
    const reason = validateRow(rows[i]);
    if (reason) throw new RowSchemaError(i, reason);
  }
  if (rows.length === 0) throw new RangeError('appendRows needs at least one row: an empty commit adds nothing');
  const ops = operationsOf(table);
  let base = await loadTable(ops);

  const content = encodeDataFile(rows);
  const dataLocation = ops.fileLocation(base.metadata, 'data', `${randomUUID()}.parquet`);
  await ops.io.write(dataLocation, content.bytes);
  const dataFile = { uri: dataLocation, sizeInBytes: content.bytes.length, content };

  const snapshotId = newSnapshotId();
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const result = await tryCommit(ops, base, snapshotId, attempt, dataFile, hooks);
    if (result) return result;
    base = await loadTable(ops);
  }
  throw new CommitConflictError(MAX_COMMIT_ATTEMPTS);
}

export interface TableState {
  version: number;
  currentSnapshotId: string | null;
  snapshots: Array<{ snapshotId: string; sequenceNumber: number; addedRecords: number; totalRecords: number }>;
  totalRecords: number;
}

/** Version, snapshots (oldest first) and record totals from the current metadata file. */
export async function readTableState(table: TableRef): Promise<TableState> {
  const { version, metadata } = await loadTable(operationsOf(table));
  const current = currentSnapshot(metadata);
  const snapshots = [...metadata.snapshots]
    .sort((a, b) => a['sequence-number'] - b['sequence-number'])
    .map((s) => ({
      snapshotId: String(s['snapshot-id']),
      sequenceNumber: s['sequence-number'],
      addedRecords: Number(s.summary['added-records'] ?? 0),
      totalRecords: Number(s.summary['total-records'] ?? 0),
    }));
  return {
    version,
    currentSnapshotId: current ? String(current['snapshot-id']) : null,
    snapshots,
    totalRecords: current ? Number(current.summary['total-records'] ?? 0) : 0,
  };
}

/**
 * Rows of the current snapshot, read through its manifest list and manifests (live data files only), in commit
 * order. Timestamps come back as ISO-8601 UTC strings with microsecond digits when present.
 */
export async function readRows(table: TableRef): Promise<Record<string, unknown>[]> {
  const ops = operationsOf(table);
  const { metadata } = await loadTable(ops);
  const snapshot = currentSnapshot(metadata);
  if (!snapshot) return [];
  const manifests = (await readManifestList(ops.io, snapshot['manifest-list'])).filter((m) => m.content === CONTENT_DATA).sort((a, b) => a.sequence_number - b.sequence_number);
  const out: Record<string, unknown>[] = [];
  for (const manifest of manifests) {
    for (const entry of await readManifest(ops.io, manifest.manifest_path)) {
      if (entry.status === ENTRY_STATUS.deleted || entry.data_file.content !== CONTENT_DATA) continue;
      const bytes = await ops.io.read(entry.data_file.file_path);
      if (bytes.length !== entry.data_file.file_size_in_bytes) {
        throw new UnsupportedTableError(`${entry.data_file.file_path}: ${bytes.length} bytes, manifest says ${entry.data_file.file_size_in_bytes}`);
      }
      const rows = (await parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        parsers: { timestampFromMicroseconds: (micros: bigint) => epochMicrosToIso(micros) as unknown as Date },
      })) as Record<string, unknown>[];
      if (rows.length !== entry.data_file.record_count) {
        throw new UnsupportedTableError(`${entry.data_file.file_path}: ${rows.length} rows, manifest says ${entry.data_file.record_count}`);
      }
      for (const row of rows) {
        for (const key of Object.keys(row)) if (row[key] === undefined) row[key] = null;
        out.push(row);
      }
    }
  }
  return out;
}
