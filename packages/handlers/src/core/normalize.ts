import type { RawRow } from '@lean-ops/contracts';
import type { ParsedMessage } from './parse-message';

export interface RecordContext {
  topic: string;
  sqsMessageId: string;
  receiveCount: number;
  sourceQueue: string;
  expectedFields: readonly string[];
  /** ISO-8601 UTC, one per batch. */
  ingestedAt: string;
}

/** Payload keys the topic does not declare, sorted. Drift is recorded, never a reason to reject. */
export function driftFields(payloadKeys: readonly string[], expectedFields: readonly string[]): string[] {
  const expected = new Set(expectedFields);
  return [...new Set(payloadKeys.filter((k) => !expected.has(k)))].sort();
}

export function toRawRow(parsed: ParsedMessage, ctx: RecordContext): RawRow {
  return {
    topic_name: ctx.topic,
    message_id: parsed.messageId ?? ctx.sqsMessageId,
    event_time: parsed.eventTime,
    ingested_at: ctx.ingestedAt,
    json_payload: parsed.payloadText,
    drift_fields: driftFields(parsed.payloadKeys, ctx.expectedFields),
    receive_count: ctx.receiveCount,
    source_queue: ctx.sourceQueue,
  };
}
