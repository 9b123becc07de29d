import { epochMicrosToIso, type RawRow } from '@lean-ops/contracts';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { decodeAvroContainer } from './avro-container';
import { CONTENT_DATA, ENTRY_STATUS, type ManifestEntryRecord, type ManifestFileRecord } from './avro-schemas';
import { CommitConflictError, RowSchemaError, UnsupportedTableError } from './errors';
import { latestVersion, loadTable, localPath, publishVersion, tablePaths, writeNewFile, writeVersionHint, type LoadedTable, type TablePaths } from './file-catalog';
import { addedEntry, encodeManifest, encodeManifestList, manifestListMetadata, newManifestFile } from './manifests';
import { encodeDataFile } from './parquet-file';
import { validateRow } from './schema';
import { currentSnapshot, initialMetadata, newSnapshotId, withAppend } from './table-metadata';

export interface CommitResult {
  version: number;
  snapshotId: bigint | number;
  sequenceNumber: number;
  addedRecords: number;
  /** `file://` URI of the new data file. */
  dataFile: string;
  /** Absolute path of the new `v<N>.metadata.json`. */
  metadataFile: string;
}

/** Commit attempts before giving up when other writers keep taking the next version. */
const MAX_COMMIT_ATTEMPTS = 20;

/** Creates `metadata/v1.metadata.json` (no snapshot) unless the table already has metadata. */
export async function createTable(location: string): Promise<void> {
  const paths = tablePaths(location);
  await fs.mkdir(paths.metadataDir, { recursive: true });
  await fs.mkdir(paths.dataDir, { recursive: true });
  if ((await latestVersion(paths)) > 0) return;
  // Losing this race means another writer created the same empty table: equally fine.
  await publishVersion(paths, 1, initialMetadata(paths.uri(paths.dir), Date.now()));
  await writeVersionHint(paths, 1);
}

async function readManifestList(uri: string): Promise<ManifestFileRecord[]> {
  return (await decodeAvroContainer<ManifestFileRecord>(await fs.readFile(localPath(uri)))).records;
}

async function readManifest(uri: string): Promise<ManifestEntryRecord[]> {
  return (await decodeAvroContainer<ManifestEntryRecord>(await fs.readFile(localPath(uri)))).records;
}

/** Observation points inside a commit (tests use them to interleave another writer). */
export interface CommitHooks {
  /** Runs after an attempt's manifest and list are written, just before it tries to publish `version`. */
  beforePublish?: (version: number, attempt: number) => Promise<void>;
}

/** Writes the snapshot's manifest and manifest list for one attempt and publishes the next version. */
async function tryCommit(paths: TablePaths, base: LoadedTable, snapshotId: number, attempt: number, dataFile: Parameters<typeof addedEntry>[0], hooks: CommitHooks): Promise<CommitResult | undefined> {
  const { metadata } = base;
  const parent = currentSnapshot(metadata);
  const sequenceNumber = metadata['last-sequence-number'] + 1;
  const entries = [addedEntry(dataFile, snapshotId, sequenceNumber)];

  const manifestBytes = await encodeManifest(entries);
  const manifestPath = path.join(paths.metadataDir, `${randomUUID()}-m0.avro`);
  await writeNewFile(manifestPath, manifestBytes);

  // Fast append: the previous snapshot's manifests are carried unchanged (their sequence numbers stay).
  const carried = parent ? await readManifestList(parent['manifest-list']) : [];
  const manifests = [newManifestFile(paths.uri(manifestPath), manifestBytes.length, snapshotId, sequenceNumber, entries), ...carried];
  const listBytes = await encodeManifestList(manifests, manifestListMetadata(snapshotId, parent?.['snapshot-id'], sequenceNumber));
  const listPath = path.join(paths.metadataDir, `snap-${snapshotId}-${attempt}-${randomUUID()}.avro`);
  await writeNewFile(listPath, listBytes);

  const next = withAppend(metadata, {
    snapshotId,
    sequenceNumber,
    // Snapshot times never go backwards, even if the clock does.
    timestampMs: Math.max(Date.now(), metadata['last-updated-ms']),
    manifestList: paths.uri(listPath),
    addedRecords: dataFile.content.recordCount,
    addedFilesSize: dataFile.sizeInBytes,
    previousMetadataFile: paths.uri(base.metadataFile),
  });
  const version = base.version + 1;
  await hooks.beforePublish?.(version, attempt);
  if (!(await publishVersion(paths, version, next))) return undefined;
  await writeVersionHint(paths, version);
  return {
    version,
    snapshotId,
    sequenceNumber,
    addedRecords: dataFile.content.recordCount,
    dataFile: dataFile.uri,
    metadataFile: path.join(paths.metadataDir, `v${version}.metadata.json`),
  };
}

/**
 * Appends rows as one commit: a new Parquet data file, a manifest for it, a manifest list with the previous
 * snapshot's manifests plus the new one, then `v<N+1>.metadata.json`. If another writer took N+1 first, the
 * table is reloaded and the manifest, list and version are redone (the data file is reused).
 * Throws `RowSchemaError` (nothing written) if any row does not fit the table.
 */
export function appendRows(location: string, rows: RawRow[]): Promise<CommitResult> {
  return appendRowsWithHooks(location, rows, {});
}

export async function appendRowsWithHooks(location: string, rows: RawRow[], hooks: CommitHooks): Promise<CommitResult> {
  for (let i = 0; i < rows.length; i++) {
    const reason = validateRow(rows[i]);
    if (reason) throw new RowSchemaError(i, reason);
  }
  if (rows.length === 0) throw new RangeError('appendRows needs at least one row: an empty commit adds nothing');
  const paths = tablePaths(location);
  let base = await loadTable(location);

  const content = encodeDataFile(rows);
  const dataPath = path.join(paths.dataDir, `${randomUUID()}.parquet`);
  await fs.mkdir(paths.dataDir, { recursive: true });
  await writeNewFile(dataPath, content.bytes);
  const dataFile = { uri: paths.uri(dataPath), sizeInBytes: content.bytes.length, content };

  const snapshotId = newSnapshotId();
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const result = await tryCommit(paths, base, snapshotId, attempt, dataFile, hooks);
    if (result) return result;
    base = await loadTable(location);
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
export async function readTableState(location: string): Promise<TableState> {
  const { version, metadata } = await loadTable(location);
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
export async function readRows(location: string): Promise<Record<string, unknown>[]> {
  const { metadata } = await loadTable(location);
  const snapshot = currentSnapshot(metadata);
  if (!snapshot) return [];
  const manifests = (await readManifestList(snapshot['manifest-list'])).filter((m) => m.content === CONTENT_DATA).sort((a, b) => a.sequence_number - b.sequence_number);
  const out: Record<string, unknown>[] = [];
  for (const manifest of manifests) {
    for (const entry of await readManifest(manifest.manifest_path)) {
      if (entry.status === ENTRY_STATUS.deleted || entry.data_file.content !== CONTENT_DATA) continue;
      const bytes = await fs.readFile(localPath(entry.data_file.file_path));
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
