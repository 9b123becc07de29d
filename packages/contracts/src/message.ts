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

/** The producer's message_id of a parsed body: its own `message_id` member when the body is an object and the id valid. */
export function producerMessageIdOf(parsed: unknown): string | undefined {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const id = Object.prototype.hasOwnProperty.call(parsed, MESSAGE_FIELDS.messageId) ? (parsed as Record<string, unknown>)[MESSAGE_FIELDS.messageId] : undefined;
  return typeof id === 'string' && MESSAGE_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * The identity a message is filed and accounted under, by one rule everywhere (the sent ledger, the DLQ processor's
 * archive and error tracker, the redrive): the producer's valid `message_id` when the body is a JSON object holding
 * one, else the SQS MessageId (which SQS keeps when it moves a message to the DLQ).
 */
export function messageIdentity(body: string, sqsMessageId: string): string {
  // Text that holds neither the key nor an escape cannot name it: most bodies without one skip the parse.
  if (!body.includes(MESSAGE_FIELDS.messageId) && !body.includes('\\')) return sqsMessageId;
  try {
    return producerMessageIdOf(JSON.parse(body)) ?? sqsMessageId;
  } catch {
    return sqsMessageId;
  }
}
