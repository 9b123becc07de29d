/**
 * The topic message contract: what producers put on a topic queue.
 *
 * A JSON object with `json_payload` (any JSON object) and optional `message_id`, `event_time` and other
 * top-level attributes. Other attributes are allowed and ignored by the RAW row (they are logged).
 */

export const MESSAGE_FIELDS = {
  payload: 'json_payload',
  messageId: 'message_id',
  eventTime: 'event_time',
  /** Fault injection for the local stand-ins (see FAULTS); ignored by handlers. */
  fault: '_fault',
} as const;

export interface TopicMessage {
  json_payload: Record<string, unknown>;
  message_id?: string;
  event_time?: string;
  [attribute: string]: unknown;
}

/** A producer's message_id: 1..256 printable characters (it becomes part of S3 keys, URI-encoded). */
export const MESSAGE_ID_MAX_LENGTH = 256;
export const MESSAGE_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** Faults requested per message with the top-level attribute `_fault`; honoured by the local stand-ins only. */
export const FAULTS = ['firehose_reject', 'firehose_throttle_once', 'lambda_crash_once', 'processing_error', 'lambda_crash', 'lambda_timeout_once'] as const;
export type Fault = (typeof FAULTS)[number];
