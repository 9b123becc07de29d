import { MESSAGE_FIELDS, MESSAGE_ID_PATTERN, type Reason, type TopicMessage } from '@lean-ops/contracts';
import { scanJson } from './json-scan';

/** Deeper nesting is refused before anything recursive (JSON.stringify, downstream readers) can overflow a stack. */
export const MAX_JSON_DEPTH = 512;

export interface ParsedMessage {
  ok: true;
  message: TopicMessage;
  /** The `json_payload` value exactly as it appears in the body. */
  payloadText: string;
  /** Top-level keys of the payload (own keys; `__proto__` and `constructor` are plain data). */
  payloadKeys: string[];
  /** The producer's message_id, if given. */
  messageId?: string;
  /** The producer's event_time, validated, or null. */
  eventTime: string | null;
  /** Top-level attributes other than the contract's (allowed; reported for visibility). */
  extraAttributes: string[];
}

export interface ParseFailure {
  ok: false;
  reason: Reason;
  detail: string;
  /** The producer's message_id when the envelope was readable and the id valid. */
  messageId?: string;
}

export type ParseResult = ParsedMessage | ParseFailure;

const BOM = '\uFEFF';
// A decoded body holding U+FFFD or an unpaired surrogate was damaged before it reached us (a lossy
// decode of invalid UTF-8): the original bytes cannot be delivered, so the record is refused.
const DAMAGED_TEXT = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** ISO-8601 date-time with an explicit offset (the RAW column is timestamptz). */
const EVENT_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

export function isValidEventTime(value: string): boolean {
  const m = EVENT_TIME_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  // Date.parse rolls 2026-02-30 over to March: check the calendar day explicitly.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== 'Z' && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

const fail = (reason: Reason, detail: string, messageId?: string): ParseFailure => ({ ok: false, reason, detail, messageId });

const KNOWN_FIELDS = new Set<string>(Object.values(MESSAGE_FIELDS));

/**
 * Body -> validated topic message. Decisions: a leading BOM is stripped and the message accepted (RFC 8259
 * allows ignoring it); duplicate keys at any depth are refused (VALIDATION_ERROR), because readers disagree on
 * which value wins and the payload is delivered as text; `__proto__`/`constructor` keys are ordinary data.
 */
export function parseMessage(body: string | Uint8Array | null | undefined): ParseResult {
  if (body === null || body === undefined) return fail('EMPTY_BODY', 'no body');
  let text: string;
  if (typeof body === 'string') {
    text = body;
    if (DAMAGED_TEXT.test(text)) return fail('INVALID_UTF8', 'body holds U+FFFD or an unpaired surrogate');
  } else {
    try {
      text = UTF8.decode(body);
    } catch {
      return fail('INVALID_UTF8', 'body is not valid UTF-8');
    }
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.trim().length === 0) return fail('EMPTY_BODY', 'body is empty');

  const scan = scanJson(text, MAX_JSON_DEPTH);
  if (scan.tooDeep) return fail('VALIDATION_ERROR', `nesting deeper than ${MAX_JSON_DEPTH}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('MALFORMED_JSON', (err as Error).message.slice(0, 200));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !scan.topLevel) {
    return fail('NOT_AN_OBJECT', `top level is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const message = value as Record<string, unknown>;
  const own = (key: string) => Object.prototype.hasOwnProperty.call(message, key);

  const rawId = own(MESSAGE_FIELDS.messageId) ? message[MESSAGE_FIELDS.messageId] : undefined;
  let messageId: string | undefined;
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId !== 'string' || !MESSAGE_ID_PATTERN.test(rawId)) {
      return fail('INVALID_MESSAGE_ID', 'message_id must be 1..256 printable ASCII characters');
    }
    messageId = rawId;
  }
  if (scan.duplicateKey !== undefined) {
    return fail('VALIDATION_ERROR', `duplicate key ${JSON.stringify(scan.duplicateKey.slice(0, 100))}`, messageId);
  }
  if (!own(MESSAGE_FIELDS.payload)) return fail('MISSING_PAYLOAD', 'json_payload is missing', messageId);
  const payload = message[MESSAGE_FIELDS.payload];
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const kind = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
    return fail('INVALID_PAYLOAD', `json_payload is ${kind}, not an object`, messageId);
  }

  const rawTime = own(MESSAGE_FIELDS.eventTime) ? message[MESSAGE_FIELDS.eventTime] : undefined;
  let eventTime: string | null = null;
  if (rawTime !== undefined && rawTime !== null) {
    if (typeof rawTime !== 'string' || !isValidEventTime(rawTime)) {
      return fail('INVALID_EVENT_TIME', 'event_time must be ISO-8601 with an offset', messageId);
    }
    eventTime = rawTime;
  }

  const span = scan.topLevel.get(MESSAGE_FIELDS.payload);
  if (!span) return fail('VALIDATION_ERROR', 'json_payload span not found', messageId);
  return {
    ok: true,
    message: message as TopicMessage,
    payloadText: text.slice(span.start, span.end),
    payloadKeys: Object.keys(payload),
    messageId,
    eventTime,
    extraAttributes: [...scan.topLevel.keys()].filter((k) => !KNOWN_FIELDS.has(k)),
  };
}
