import type { RawRow } from '@lean-ops/contracts';

// Printable ASCII other than `"` and `\`: JSON.stringify leaves such a string as it is between quotes.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `${JSON.stringify(row)}\n`, byte for byte. When the ids and names are plain ASCII (nearly always)
 * the line is joined from its parts, so only the payload text pays for an escape pass; otherwise
 * JSON.stringify writes it.
 */
export function rawRowLine(row: RawRow): string {
  const eventTime = row.event_time;
  const count = row.receive_count;
  if (
    !Number.isFinite(count) ||
    !Number.isSafeInteger(row.ingested_at) ||
    (eventTime !== null && !Number.isSafeInteger(eventTime)) ||
    !PLAIN.test(row.topic_name) ||
    !PLAIN.test(row.message_id) ||
    !PLAIN.test(row.source_queue)
  ) {
    return `${JSON.stringify(row)}\n`;
  }
  return (
    '{"topic_name":"' +
    row.topic_name +
    '","message_id":"' +
    row.message_id +
    // Timestamps are epoch microseconds, safe integers: String() writes them as JSON does.
    (eventTime === null ? '","event_time":null,"ingested_at":' : '","event_time":' + String(eventTime) + ',"ingested_at":') +
    String(row.ingested_at) +
    ',"json_payload":' +
    JSON.stringify(row.json_payload) +
    ',"drift_fields":' +
    (row.drift_fields.length === 0 ? '[]' : JSON.stringify(row.drift_fields)) +
    ',"receive_count":' +
    // String() writes every finite number as JSON does (-0 as "0").
    String(count) +
    ',"source_queue":"' +
    row.source_queue +
    '"}\n'
  );
}
