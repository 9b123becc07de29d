import { MESSAGE_FIELDS, MESSAGE_ID_PATTERN, isoToEpochMicros, type Reason, type TopicMessage } from '@lean-ops/contracts';
import { scanJson, scanValidJsonObject, type MemberSpan } from './json-scan';

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
  /** The producer's event_time as epoch microseconds (the RAW column's unit), or null. */
  eventTimeMicros: number | null;
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

// A decoded body holding U+FFFD or an unpaired surrogate was damaged before it reached us (a lossy
// decode of invalid UTF-8): the original bytes cannot be delivered, so the record is refused.
const DAMAGED_TEXT = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// String.prototype.isWellFormed (Node 20+) finds an unpaired surrogate natively, far faster than the regex.
const isDamaged = (text: string): boolean => {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof wellFormed !== 'function') return DAMAGED_TEXT.test(text);
  return text.indexOf('\uFFFD') >= 0 || !wellFormed.call(text);
};
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const fail = (reason: Reason, detail: string, messageId?: string): ParseFailure => ({ ok: false, reason, detail, messageId });

const KNOWN_FIELDS = new Set<string>(Object.values(MESSAGE_FIELDS));
// Read once: bundlers turn imported bindings into getter calls, which add up at one call per record per field.
const PAYLOAD = MESSAGE_FIELDS.payload;
const MESSAGE_ID = MESSAGE_FIELDS.messageId;
const EVENT_TIME = MESSAGE_FIELDS.eventTime;
const ID_PATTERN = MESSAGE_ID_PATTERN;
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

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
    if (isDamaged(text)) return fail('INVALID_UTF8', 'body holds U+FFFD or an unpaired surrogate');
  } else {
    try {
      text = UTF8.decode(body);
    } catch {
      return fail('INVALID_UTF8', 'body is not valid UTF-8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return parseRefused(text, err as Error);
  }
  return parseValid(text, value) ?? parseChecked(text, value);
}

/** The reference path for decoded text (no BOM): scan, then parse. parseMessage must agree with it on every input. */
export function parseMessageChecked(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return parseRefused(text, err as Error);
  }
  return parseChecked(text, value);
}

// Only text JSON.parse refuses can be blank. Its error is reused rather than thrown twice (throws are costly).
function parseRefused(text: string, err: Error): ParseResult {
  if (text.trim().length === 0) return fail('EMPTY_BODY', 'body is empty');
  return parseChecked(text, undefined, err);
}

/**
 * The common case in one JSON.parse (done by the caller; V8's parser is iterative, so deep text cannot
 * overflow it) and one light scan: an object that nests within the bound and repeats no key. Anything else
 * returns undefined and goes through parseChecked, which decides it.
 */
function parseValid(text: string, value: unknown): ParseResult | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const scan = scanValidJsonObject(text, MAX_JSON_DEPTH);
  if (scan.tooDeep || prototypeEnumerable() || scan.members !== countKeys(value)) return undefined;
  const payloadAt = scan.keys.indexOf(PAYLOAD);
  const start = scan.starts[payloadAt];
  const end = scan.ends[payloadAt];
  const span = start === undefined || end === undefined ? undefined : { start, end };
  return validate(text, value as Record<string, unknown>, undefined, span, scan.keys);
}

/**
 * Own keys of every object in a parsed tree (depth already bounded by the scan). for-in walks the enum
 * cache without allocating a key array; it sees only own keys while Object.prototype has no enumerable one.
 */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) count += countKeys(value[i]);
    return count;
  }
  for (const key in value) {
    count++;
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object') count += countKeys(v);
  }
  return count;
}

/** True when something has added an enumerable property to Object.prototype (for-in would count it). */
const prototypeEnumerable = (): boolean => Object.keys(Object.prototype).length > 0;
/** The scan's verdicts (depth bound, then duplicates) come before the parse's: decides every input, malformed ones included. */
function parseChecked(text: string, value: unknown, parseError?: Error): ParseResult {
  const scan = scanJson(text, MAX_JSON_DEPTH);
  if (scan.tooDeep) return fail('VALIDATION_ERROR', `nesting deeper than ${MAX_JSON_DEPTH}`);
  if (parseError) return fail('MALFORMED_JSON', parseError.message.slice(0, 200));
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !scan.topLevel) {
    return fail('NOT_AN_OBJECT', `top level is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return validate(text, value as Record<string, unknown>, scan.duplicateKey, scan.topLevel.get(PAYLOAD), [...scan.topLevel.keys()]);
}

function validate(text: string, message: Record<string, unknown>, duplicateKey: string | undefined, span: MemberSpan | undefined, topKeys: string[]): ParseResult {
  const rawId = hasOwn(message, MESSAGE_ID) ? message[MESSAGE_ID] : undefined;
  let messageId: string | undefined;
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId !== 'string' || !ID_PATTERN.test(rawId)) {
      return fail('INVALID_MESSAGE_ID', 'message_id must be 1..256 printable ASCII characters');
    }
    messageId = rawId;
  }
  if (duplicateKey !== undefined) {
    return fail('VALIDATION_ERROR', `duplicate key ${JSON.stringify(duplicateKey.slice(0, 100))}`, messageId);
  }
  if (!hasOwn(message, PAYLOAD)) return fail('MISSING_PAYLOAD', 'json_payload is missing', messageId);
  const payload = message[PAYLOAD];
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const kind = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
    return fail('INVALID_PAYLOAD', `json_payload is ${kind}, not an object`, messageId);
  }

  const rawTime = hasOwn(message, EVENT_TIME) ? message[EVENT_TIME] : undefined;
  let eventTimeMicros: number | null = null;
  if (rawTime !== undefined && rawTime !== null) {
    const micros = typeof rawTime === 'string' ? isoToEpochMicros(rawTime) : undefined;
    if (micros === undefined) {
      return fail('INVALID_EVENT_TIME', 'event_time must be ISO-8601 with an offset, years 1685..2255', messageId);
    }
    eventTimeMicros = micros;
  }

  if (!span) return fail('VALIDATION_ERROR', 'json_payload span not found', messageId);
  const extraAttributes: string[] = [];
  for (const k of topKeys) if (!KNOWN_FIELDS.has(k)) extraAttributes.push(k);
  return {
    ok: true,
    message: message as TopicMessage,
    payloadText: text.slice(span.start, span.end),
    payloadKeys: Object.keys(payload),
    messageId,
    eventTimeMicros,
    extraAttributes,
  };
}
