import { LIMITS, type RawRow, type Reason } from '@lean-ops/contracts';
import { parseMessage } from './parse-message';
import { toRawRow, type RecordContext } from './normalize';
import { rawRowLine } from './raw-row-line';

export interface Deliverable {
  kind: 'deliver';
  row: RawRow;
  /** The Firehose record: the row as one JSON line. */
  data: string;
  bytes: number;
  /** Top-level attributes outside the contract (allowed, reported). */
  extraAttributes: string[];
}

export interface Droppable {
  kind: 'drop';
  reason: Reason;
  detail: string;
  /** Producer's message_id when readable, else the SQS message id. */
  messageId: string;
}

export type Prepared = Deliverable | Droppable;

// Read once: a bundled import is a getter call per access.
const MAX_RECORD_BYTES = LIMITS.firehoseMaxRecordBytes;

/** Parse, validate and normalize one record body: the pure hot path of the processor. */
export function prepareRecord(body: string | Uint8Array | null | undefined, ctx: RecordContext): Prepared {
  const parsed = parseMessage(body);
  if (!parsed.ok) return { kind: 'drop', reason: parsed.reason, detail: parsed.detail, messageId: parsed.messageId ?? ctx.sqsMessageId };
  const row = toRawRow(parsed, ctx);
  const data = rawRowLine(row);
  const bytes = Buffer.byteLength(data, 'utf8');
  // Firehose refuses a record over 1,000 KiB; it would fail the same way on every receive.
  if (bytes > MAX_RECORD_BYTES) {
    return { kind: 'drop', reason: 'RECORD_TOO_LARGE', detail: `${bytes} bytes > ${MAX_RECORD_BYTES}`, messageId: row.message_id };
  }
  return { kind: 'deliver', row, data, bytes, extraAttributes: parsed.extraAttributes };
}
