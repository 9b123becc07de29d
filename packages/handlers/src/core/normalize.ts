import type { RawRow } from '@lean-ops/contracts';
import type { ParsedMessage } from './parse-message';

export interface RecordContext {
  topic: string;
  sqsMessageId: string;
  receiveCount: number;
  sourceQueue: string;
  expectedFields: readonly string[];
  /** Epoch microseconds, one per batch. */
  ingestedAtMicros: number;
}

/** Payload keys the topic does not declare, sorted. Drift is recorded, never a reason to reject. */
export function driftFields(payloadKeys: readonly string[], expectedFields: readonly string[]): string[] {
  // A topic declares a handful of fields: a linear search beats building a Set per record.
  const expected = expectedFields.length > 16 ? new Set(expectedFields) : undefined;
  const drift: string[] = [];
  for (const k of payloadKeys) if (!(expected ? expected.has(k) : expectedFields.includes(k))) drift.push(k);
  if (drift.length < 2) return drift;
  return [...new Set(drift)].sort();
}

export function toRawRow(parsed: ParsedMessage, ctx: RecordContext): RawRow {
  return {
    topic_name: ctx.topic,
    message_id: parsed.messageId ?? ctx.sqsMessageId,
    event_time: parsed.eventTimeMicros,
    ingested_at: ctx.ingestedAtMicros,
    json_payload: parsed.payloadText,
    drift_fields: driftFields(parsed.payloadKeys, ctx.expectedFields),
    receive_count: ctx.receiveCount,
    source_queue: ctx.sourceQueue,
  };
}
