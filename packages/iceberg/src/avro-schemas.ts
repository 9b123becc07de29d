/**
 * Avro schemas of the V2 manifest (`manifest_entry`) and manifest list (`manifest_file`), with the field ids of
 * the Iceberg spec ("Manifests", "Manifest Lists"). Record names follow the reference implementation: a struct
 * field with id N is record `rN`, a map<K,V> with key id K and value id V is an array of records `kK_vV` with
 * logical type `map`. Optional fields are unions with null and default null (spec Appendix A).
 */

type AvroSchema = Record<string, unknown>;

const optional = (name: string, type: unknown, fieldId: number): AvroSchema => ({
  name,
  type: ['null', type],
  default: null,
  'field-id': fieldId,
});

const intMap = (keyId: number, valueId: number, valueType: string): AvroSchema => ({
  type: 'array',
  logicalType: 'map',
  items: {
    type: 'record',
    name: `k${keyId}_v${valueId}`,
    fields: [
      { name: 'key', type: 'int', 'field-id': keyId },
      { name: 'value', type: valueType, 'field-id': valueId },
    ],
  },
});

/** V2 `manifest_entry` for an unpartitioned spec (the partition tuple `r102` has no fields). */
export function manifestEntrySchema(): AvroSchema {
  return {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      { name: 'status', type: 'int', 'field-id': 0 },
      optional('snapshot_id', 'long', 1),
      optional('sequence_number', 'long', 3),
      optional('file_sequence_number', 'long', 4),
      {
        name: 'data_file',
        'field-id': 2,
        type: {
          type: 'record',
          name: 'r2',
          fields: [
            { name: 'content', type: 'int', 'field-id': 134 },
            { name: 'file_path', type: 'string', 'field-id': 100 },
            { name: 'file_format', type: 'string', 'field-id': 101 },
            { name: 'partition', type: { type: 'record', name: 'r102', fields: [] }, 'field-id': 102 },
            { name: 'record_count', type: 'long', 'field-id': 103 },
            { name: 'file_size_in_bytes', type: 'long', 'field-id': 104 },
            optional('column_sizes', intMap(117, 118, 'long'), 108),
            optional('value_counts', intMap(119, 120, 'long'), 109),
            optional('null_value_counts', intMap(121, 122, 'long'), 110),
            optional('nan_value_counts', intMap(138, 139, 'long'), 137),
            optional('lower_bounds', intMap(126, 127, 'bytes'), 125),
            optional('upper_bounds', intMap(129, 130, 'bytes'), 128),
            optional('key_metadata', 'bytes', 131),
            optional('split_offsets', { type: 'array', items: 'long', 'element-id': 133 }, 132),
            optional('equality_ids', { type: 'array', items: 'int', 'element-id': 136 }, 135),
            optional('sort_order_id', 'int', 140),
          ],
        },
      },
    ],
  };
}

/** V2 `manifest_file`, one record per manifest in a snapshot's manifest list. */
export function manifestFileSchema(): AvroSchema {
  return {
    type: 'record',
    name: 'manifest_file',
    fields: [
      { name: 'manifest_path', type: 'string', 'field-id': 500 },
      { name: 'manifest_length', type: 'long', 'field-id': 501 },
      { name: 'partition_spec_id', type: 'int', 'field-id': 502 },
      { name: 'content', type: 'int', 'field-id': 517 },
      { name: 'sequence_number', type: 'long', 'field-id': 515 },
      { name: 'min_sequence_number', type: 'long', 'field-id': 516 },
      { name: 'added_snapshot_id', type: 'long', 'field-id': 503 },
      { name: 'added_files_count', type: 'int', 'field-id': 504 },
      { name: 'existing_files_count', type: 'int', 'field-id': 505 },
      { name: 'deleted_files_count', type: 'int', 'field-id': 506 },
      { name: 'added_rows_count', type: 'long', 'field-id': 512 },
      { name: 'existing_rows_count', type: 'long', 'field-id': 513 },
      { name: 'deleted_rows_count', type: 'long', 'field-id': 514 },
      optional(
        'partitions',
        {
          type: 'array',
          'element-id': 508,
          items: {
            type: 'record',
            name: 'r508',
            fields: [
              { name: 'contains_null', type: 'boolean', 'field-id': 509 },
              optional('contains_nan', 'boolean', 518),
              optional('lower_bound', 'bytes', 510),
              optional('upper_bound', 'bytes', 511),
            ],
          },
        },
        507,
      ),
      optional('key_metadata', 'bytes', 519),
    ],
  };
}

/** Records as avsc reads and writes them (longs as JS numbers: ids and counts stay below 2^53). */
export interface ManifestFileRecord {
  manifest_path: string;
  manifest_length: number;
  partition_spec_id: number;
  content: number;
  sequence_number: number;
  min_sequence_number: number;
  added_snapshot_id: number;
  added_files_count: number;
  existing_files_count: number;
  deleted_files_count: number;
  added_rows_count: number;
  existing_rows_count: number;
  deleted_rows_count: number;
  partitions: Array<{ contains_null: boolean; contains_nan: boolean | null; lower_bound: Buffer | null; upper_bound: Buffer | null }> | null;
  key_metadata: Buffer | null;
}

export interface KeyValue<V> {
  key: number;
  value: V;
}

export interface DataFileRecord {
  content: number;
  file_path: string;
  file_format: string;
  partition: Record<string, never>;
  record_count: number;
  file_size_in_bytes: number;
  column_sizes: KeyValue<number>[] | null;
  value_counts: KeyValue<number>[] | null;
  null_value_counts: KeyValue<number>[] | null;
  nan_value_counts: KeyValue<number>[] | null;
  lower_bounds: KeyValue<Buffer>[] | null;
  upper_bounds: KeyValue<Buffer>[] | null;
  key_metadata: Buffer | null;
  split_offsets: number[] | null;
  equality_ids: number[] | null;
  sort_order_id: number | null;
}

export interface ManifestEntryRecord {
  status: number;
  snapshot_id: number | null;
  sequence_number: number | null;
  file_sequence_number: number | null;
  data_file: DataFileRecord;
}

export const ENTRY_STATUS = { existing: 0, added: 1, deleted: 2 } as const;
export const CONTENT_DATA = 0;
