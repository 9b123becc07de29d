import type { IcebergPrimitive, RawRow } from '@lean-ops/contracts';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { addColumnMetrics, emptyMetrics, type ColumnMetrics } from './metrics';
import { COLUMNS, tableSchemaJson, toParquetValue } from './schema';

/** Rows per Parquet row group: one group for a typical Firehose buffer (up to 128 MiB). */
const ROW_GROUP_ROWS = 100_000;

export interface DataFileContent {
  bytes: Uint8Array;
  recordCount: number;
  metrics: ColumnMetrics;
  /** Compressed bytes per leaf column, by field id (Iceberg `column_sizes`). */
  columnSizes: Map<number, number>;
  /** Byte offset of each row group (Iceberg `split_offsets`, ascending). */
  splitOffsets: number[];
}

function primitiveElement(name: string, type: IcebergPrimitive, required: boolean, fieldId: number): SchemaElement {
  const base = { name, repetition_type: required ? 'REQUIRED' : 'OPTIONAL', field_id: fieldId } as const;
  switch (type) {
    case 'string':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'int':
      return { ...base, type: 'INT32' };
    case 'long':
      return { ...base, type: 'INT64' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'timestamptz':
      // Iceberg Appendix A: timestamptz = INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true).
      return {
        ...base,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
  }
}

/**
 * The Parquet schema of the RAW table: every Iceberg field carries its field id; lists use the 3-level
 * representation (`<name> (LIST)` > repeated group `list` > `element`), ids on the list field and its element.
 */
export function parquetSchema(): SchemaElement[] {
  const elements: SchemaElement[] = [{ name: 'table', num_children: COLUMNS.length }];
  for (const c of COLUMNS) {
    if (typeof c.type === 'string') {
      elements.push(primitiveElement(c.name, c.type, c.required, c.id));
      continue;
    }
    elements.push(
      {
        name: c.name,
        repetition_type: c.required ? 'REQUIRED' : 'OPTIONAL',
        converted_type: 'LIST',
        logical_type: { type: 'LIST' },
        num_children: 1,
        field_id: c.id,
      },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      primitiveElement('element', c.type.element, c.type.elementRequired, c.type.elementId),
    );
  }
  return elements;
}

/** Leaf column path (dotted) -> Iceberg field id. */
function leafFieldIds(): Map<string, number> {
  const ids = new Map<string, number>();
  for (const c of COLUMNS) {
    if (typeof c.type === 'string') ids.set(c.name, c.id);
    else ids.set(`${c.name}.list.element`, c.type.elementId);
  }
  return ids;
}

/** Encodes validated rows as one Parquet data file and gathers its manifest metrics. */
export function encodeDataFile(rows: readonly RawRow[]): DataFileContent {
  const metrics = emptyMetrics();
  const columnData: ColumnSource[] = COLUMNS.map((c) => {
    const raw = rows.map((r) => (r as unknown as Record<string, unknown>)[c.name]);
    if (typeof c.type === 'string') {
      const type = c.type;
      const data = raw.map((v) => toParquetValue(type, v));
      addColumnMetrics(metrics, c.id, type, data);
      return { name: c.name, data };
    }
    const element = c.type.element;
    return { name: c.name, data: raw.map((list) => (list as unknown[]).map((v) => toParquetValue(element, v))) };
  });

  const buffer = parquetWriteBuffer({
    columnData,
    schema: parquetSchema(),
    rowGroupSize: ROW_GROUP_ROWS,
    // Iceberg's Java writer stores the table schema here; readers use it to map columns by field id.
    kvMetadata: [{ key: 'iceberg.schema', value: JSON.stringify(tableSchemaJson()) }],
  });
  const bytes = new Uint8Array(buffer);

  const footer = parquetMetadata(buffer);
  if (Number(footer.num_rows) !== rows.length) throw new Error(`parquet footer says ${footer.num_rows} rows, wrote ${rows.length}`);
  const ids = leafFieldIds();
  const columnSizes = new Map<number, number>();
  const splitOffsets: number[] = [];
  for (const group of footer.row_groups) {
    let start = Infinity;
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta) continue;
      const id = ids.get(meta.path_in_schema.join('.'));
      if (id !== undefined) columnSizes.set(id, (columnSizes.get(id) ?? 0) + Number(meta.total_compressed_size));
      start = Math.min(start, Number(meta.dictionary_page_offset ?? meta.data_page_offset));
    }
    if (Number.isFinite(start)) splitOffsets.push(start);
  }
  return { bytes, recordCount: rows.length, metrics, columnSizes, splitOffsets: splitOffsets.sort((a, b) => a - b) };
}
