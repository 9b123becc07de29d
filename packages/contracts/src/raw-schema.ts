/**
 * The RAW table: an Iceberg V2 table. Column names, types and field ids are defined here once;
 * CatalogModule (Glue), the processor (row shape) and the local Iceberg writer all read this.
 */

export type IcebergPrimitive = 'string' | 'int' | 'long' | 'timestamptz' | 'boolean';
export type IcebergType = IcebergPrimitive | { type: 'list'; elementId: number; element: IcebergPrimitive; elementRequired: boolean };

export interface RawColumn {
  id: number;
  name: string;
  type: IcebergType;
  required: boolean;
  /**
   * Glue column type (Hive DDL spelling), as Iceberg's GlueCatalog writes it when it commits the table
   * (apache/iceberg, aws/.../glue/IcebergToGlueConverter.java `toTypeString`): timestamp and timestamptz both
   * `timestamp`, long `bigint`, int `int`, string `string`, list `array<...>`.
   */
  glueType: string;
  doc: string;
}

export const RAW_COLUMNS = [
  { id: 1, name: 'topic_name', type: 'string', required: true, glueType: 'string', doc: 'Topic the message was published to' },
  { id: 2, name: 'message_id', type: 'string', required: true, glueType: 'string', doc: "Producer's message_id, else the SQS message id" },
  { id: 3, name: 'event_time', type: 'timestamptz', required: false, glueType: 'timestamp', doc: "Producer's event_time (ISO-8601 in the message), if given; sent to Firehose as epoch microseconds" },
  { id: 4, name: 'ingested_at', type: 'timestamptz', required: true, glueType: 'timestamp', doc: 'When the processor normalized the record; sent to Firehose as epoch microseconds' },
  { id: 5, name: 'json_payload', type: 'string', required: true, glueType: 'string', doc: 'The original json_payload text, byte for byte' },
  {
    id: 6,
    name: 'drift_fields',
    type: { type: 'list', elementId: 9, element: 'string', elementRequired: true },
    required: true,
    glueType: 'array<string>',
    doc: "Payload keys not in the topic's expected fields (schema drift)",
  },
  { id: 7, name: 'receive_count', type: 'int', required: true, glueType: 'int', doc: 'SQS ApproximateReceiveCount when delivered' },
  { id: 8, name: 'source_queue', type: 'string', required: true, glueType: 'string', doc: 'Name of the SQS queue the message came from' },
] as const satisfies readonly RawColumn[];

export type RawColumnName = (typeof RAW_COLUMNS)[number]['name'];

/** Highest field id used by the schema (Iceberg `last-column-id`). */
export const RAW_LAST_COLUMN_ID = 9;
export const RAW_SCHEMA_ID = 0;

/** One RAW row as the processor sends it to Firehose (JSON; top-level keys are the table's columns). */
export interface RawRow {
  topic_name: string;
  message_id: string;
  /** Epoch microseconds (Firehose takes Iceberg timestamps only as microseconds: see timestamps.ts), or null. */
  event_time: number | null;
  /** Epoch microseconds. */
  ingested_at: number;
  json_payload: string;
  drift_fields: string[];
  receive_count: number;
  source_queue: string;
}

/** The Iceberg schema JSON (as in table metadata `schemas[]`). */
export function rawIcebergSchema(): Record<string, unknown> {
  return {
    type: 'struct',
    'schema-id': RAW_SCHEMA_ID,
    fields: RAW_COLUMNS.map((c) => ({
      id: c.id,
      name: c.name,
      required: c.required,
      type: typeof c.type === 'string' ? c.type : { type: 'list', 'element-id': c.type.elementId, element: c.type.element, 'element-required': c.type.elementRequired },
      doc: c.doc,
    })),
  };
}
