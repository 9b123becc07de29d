import { encodeAvroContainer } from './avro-container';
import { CONTENT_DATA, ENTRY_STATUS, manifestEntrySchema, manifestFileSchema, type KeyValue, type ManifestEntryRecord, type ManifestFileRecord } from './avro-schemas';
import type { DataFileContent } from './parquet-file';
import { PARTITION_FIELDS, PARTITION_SPEC_ID, SORT_ORDER_ID, TABLE_SCHEMA_ID, tableSchemaJson } from './schema';

const FORMAT_VERSION = '2';

const toPairs = <V>(m: Map<number, V>): KeyValue<V>[] => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([key, value]) => ({ key, value }));

export interface AddedDataFile {
  uri: string;
  sizeInBytes: number;
  content: DataFileContent;
}

/** The ADDED entry for a new data file, with explicit snapshot id and sequence numbers (no inheritance needed). */
export function addedEntry(file: AddedDataFile, snapshotId: number, sequenceNumber: number): ManifestEntryRecord {
  const { metrics } = file.content;
  return {
    status: ENTRY_STATUS.added,
    snapshot_id: snapshotId,
    sequence_number: sequenceNumber,
    file_sequence_number: sequenceNumber,
    data_file: {
      content: CONTENT_DATA,
      file_path: file.uri,
      file_format: 'PARQUET',
      partition: {},
      record_count: file.content.recordCount,
      file_size_in_bytes: file.sizeInBytes,
      column_sizes: toPairs(file.content.columnSizes),
      value_counts: toPairs(metrics.valueCounts),
      null_value_counts: toPairs(metrics.nullValueCounts),
      nan_value_counts: null,
      lower_bounds: toPairs(metrics.lowerBounds).map(({ key, value }) => ({ key, value: Buffer.from(value) })),
      upper_bounds: toPairs(metrics.upperBounds).map(({ key, value }) => ({ key, value: Buffer.from(value) })),
      key_metadata: null,
      split_offsets: file.content.splitOffsets,
      equality_ids: null,
      sort_order_id: SORT_ORDER_ID,
    },
  };
}

/** Manifest key-value metadata required for V2 (spec "Manifest Metadata"). */
export function manifestMetadata(): Record<string, string> {
  return {
    schema: JSON.stringify(tableSchemaJson()),
    'schema-id': String(TABLE_SCHEMA_ID),
    'partition-spec': JSON.stringify(PARTITION_FIELDS),
    'partition-spec-id': String(PARTITION_SPEC_ID),
    'format-version': FORMAT_VERSION,
    content: 'data',
  };
}

export const encodeManifest = (entries: readonly ManifestEntryRecord[]) => encodeAvroContainer(manifestEntrySchema(), entries, manifestMetadata());

/** The manifest list's record for a manifest of ADDED entries written by this snapshot. */
export function newManifestFile(manifestUri: string, manifestLength: number, snapshotId: number, sequenceNumber: number, entries: readonly ManifestEntryRecord[]): ManifestFileRecord {
  return {
    manifest_path: manifestUri,
    manifest_length: manifestLength,
    partition_spec_id: PARTITION_SPEC_ID,
    content: CONTENT_DATA,
    sequence_number: sequenceNumber,
    min_sequence_number: sequenceNumber,
    added_snapshot_id: snapshotId,
    added_files_count: entries.length,
    existing_files_count: 0,
    deleted_files_count: 0,
    added_rows_count: entries.reduce((n, e) => n + e.data_file.record_count, 0),
    existing_rows_count: 0,
    deleted_rows_count: 0,
    // One summary per partition field; the spec is unpartitioned.
    partitions: [],
    key_metadata: null,
  };
}

/** Manifest list metadata, as the reference implementation writes it. */
export function manifestListMetadata(snapshotId: number, parentSnapshotId: number | undefined, sequenceNumber: number): Record<string, string> {
  return {
    'snapshot-id': String(snapshotId),
    'parent-snapshot-id': parentSnapshotId === undefined ? 'null' : String(parentSnapshotId),
    'sequence-number': String(sequenceNumber),
    'format-version': FORMAT_VERSION,
  };
}

export const encodeManifestList = (manifests: readonly ManifestFileRecord[], metadata: Record<string, string>) => encodeAvroContainer(manifestFileSchema(), manifests, metadata);
