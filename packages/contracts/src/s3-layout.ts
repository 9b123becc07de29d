/** S3 key layouts in the archive and warehouse buckets. */

export const S3_PREFIXES = {
  quarantine: 'quarantine/',
  dlqArchive: 'dlq-archive/',
  /** Firehose error output for records the Iceberg destination could not write. */
  firehoseErrors: 'firehose-errors/',
  /** Lambda bundles in the artifacts bucket. */
  lambdaArtifacts: 'lambda/',
  /** Iceberg warehouse root in the warehouse bucket. */
  warehouse: 'warehouse/',
} as const;

/** `2026-11-26T08:15:42Z` -> `2026-11-26`. */
export const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** Message ids come from producers: encode so a `/` or `..` never escapes its folder. */
export const keySegment = (s: string) => encodeURIComponent(s).replace(/\./g, '%2E');

export const quarantineKey = (topic: string, date: Date, messageId: string) => `${S3_PREFIXES.quarantine}topic=${topic}/dt=${utcDate(date)}/${keySegment(messageId)}.json`;

export const dlqArchiveKey = (topic: string, date: Date, messageId: string) => `${S3_PREFIXES.dlqArchive}topic=${topic}/dt=${utcDate(date)}/${keySegment(messageId)}.json`;

/** Prefix of one topic's archive for one day (for listing and redrive). */
export const dlqArchivePrefix = (topic: string, date?: Date) => `${S3_PREFIXES.dlqArchive}topic=${topic}/${date ? `dt=${utcDate(date)}/` : ''}`;

/** Firehose `error_output_prefix` (AWS appends the error type through `!{firehose:error-output-type}`). */
export const FIREHOSE_ERROR_OUTPUT_PREFIX = `${S3_PREFIXES.firehoseErrors}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`;

/** Warehouse location of a table: `warehouse/<database>/<table>/` (relative to the bucket). */
export const tableLocation = (database: string, table: string) => `${S3_PREFIXES.warehouse}${database}/${table}/`;

/** Quarantine object body. */
export interface QuarantineRecord {
  topic_name: string;
  message_id: string;
  sqs_message_id: string;
  reason: string;
  detail: string;
  receive_count: number;
  source_queue: string;
  quarantined_at: string;
  /** The original SQS body, as received. */
  body: string;
  /** CRASHED_RUNTIME only: invocations that ended without a response while this record was being processed. */
  crash_count?: number;
}

/** DLQ archive object body. */
export interface DlqArchiveRecord {
  topic_name: string;
  message_id: string;
  sqs_message_id: string;
  source_queue_arn: string | null;
  receive_count: number;
  archived_at: string;
  attributes: Record<string, string>;
  message_attributes: Record<string, unknown>;
  payload_sha256: string;
  /** The original SQS body, as received. */
  body: string;
}

/** Firehose writes its error output (records the Iceberg destination could not write) to the archive bucket. */
export const FIREHOSE_ERROR_BUCKET_KIND = 'archive' as const;
