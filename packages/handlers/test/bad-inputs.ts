import { LIMITS, type Reason } from '@lean-ops/contracts';

/** One kind of bad (or odd) message and where it must end. Shared by the unit spec and the handler integration test. */
export interface BadInputCase {
  name: string;
  body: string;
  /** A reason means DROP (quarantined) with that reason; 'deliver' means a RAW row. */
  expect: Reason | 'deliver';
  /** For delivered cases: the exact json_payload text the RAW row must carry. */
  payloadText?: string;
  /** For delivered cases: drift fields expected with expectedFields ['a']. */
  drift?: string[];
}

const msg = (payload: string, extra = '') => `{"message_id":"m-1"${extra},"json_payload":${payload}}`;
const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const big = (bytes: number) => `{"a":"${'x'.repeat(bytes)}"}`;
const manyKeys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;

export const BAD_INPUTS: BadInputCase[] = [
  { name: 'malformed JSON', body: '{json_payload: {"a": 1}}', expect: 'MALFORMED_JSON' },
  { name: 'truncated JSON', body: '{"message_id":"m-1","json_payload":{"a":', expect: 'MALFORMED_JSON' },
  { name: 'trailing garbage', body: `${msg('{"a":1}')} x`, expect: 'MALFORMED_JSON' },
  { name: 'empty body', body: '', expect: 'EMPTY_BODY' },
  { name: 'whitespace-only body', body: ' \n\t ', expect: 'EMPTY_BODY' },
  { name: 'body null', body: 'null', expect: 'NOT_AN_OBJECT' },
  { name: 'body array', body: '[{"json_payload":{}}]', expect: 'NOT_AN_OBJECT' },
  { name: 'body string', body: '"{\\"json_payload\\":{}}"', expect: 'NOT_AN_OBJECT' },
  { name: 'body number', body: '42', expect: 'NOT_AN_OBJECT' },
  { name: 'json_payload missing', body: '{"message_id":"m-1","payload":{"a":1}}', expect: 'MISSING_PAYLOAD' },
  { name: 'json_payload null', body: msg('null'), expect: 'INVALID_PAYLOAD' },
  { name: 'json_payload array', body: msg('[1,2]'), expect: 'INVALID_PAYLOAD' },
  { name: 'json_payload string (double-encoded)', body: msg('"{\\"a\\":1}"'), expect: 'INVALID_PAYLOAD' },
  { name: 'invalid UTF-8 decoded lossily (U+FFFD)', body: msg('{"a":"caf\uFFFD"}'), expect: 'INVALID_UTF8' },
  { name: 'unpaired surrogate', body: msg('{"a":"\uD800x"}'), expect: 'INVALID_UTF8' },
  { name: 'BOM before the object (stripped, accepted)', body: `\uFEFF${msg('{"a":1}')}`, expect: 'deliver', payloadText: '{"a":1}', drift: [] },
  { name: 'raw NUL byte inside a string', body: msg('{"a":"x\u0000y"}'), expect: 'MALFORMED_JSON' },
  { name: 'escaped NUL kept as text', body: msg('{"a":"x\\u0000y"}'), expect: 'deliver', payloadText: '{"a":"x\\u0000y"}', drift: [] },
  { name: '1 MiB body', body: msg(big(LIMITS.sqsMaxMessageBytes - 40)), expect: 'RECORD_TOO_LARGE' },
  // Escaping in the RAW row's JSON line doubles every quote: a 600 KiB payload of quotes exceeds 1,000 KiB.
  { name: 'record over the Firehose limit after normalization', body: msg(`{"a":"${'\\"'.repeat(300 * 1024)}"}`), expect: 'RECORD_TOO_LARGE' },
  { name: 'duplicate top-level key', body: '{"json_payload":{"a":1},"json_payload":{"a":2}}', expect: 'VALIDATION_ERROR' },
  { name: 'duplicate payload key', body: msg('{"a":1,"b":{"c":1,"c":2}}'), expect: 'VALIDATION_ERROR' },
  { name: 'duplicate key spelled with an escape', body: msg('{"a":1,"\\u0061":2}'), expect: 'VALIDATION_ERROR' },
  {
    name: 'numbers beyond 2^53 (preserved exactly)',
    body: msg('{"a":12345678901234567890123,"b":1e400,"c":-0.10000000000000000000001}'),
    expect: 'deliver',
    payloadText: '{"a":12345678901234567890123,"b":1e400,"c":-0.10000000000000000000001}',
    drift: ['b', 'c'],
  },
  {
    name: 'unicode escapes and key order kept',
    body: msg('{ "z" : "\\u00e9\\ud83d\\ude00" , "a":"é😀" }'),
    expect: 'deliver',
    payloadText: '{ "z" : "\\u00e9\\ud83d\\ude00" , "a":"é😀" }',
    drift: ['z'],
  },
  { name: 'deep nesting (600 levels)', body: msg(nest(600)), expect: 'VALIDATION_ERROR' },
  { name: 'very deep nesting (100,000 levels, no stack overflow)', body: msg(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), expect: 'VALIDATION_ERROR' },
  { name: 'nesting within the bound (500 levels)', body: msg(nest(500)), expect: 'deliver', payloadText: nest(500), drift: [] },
  { name: 'huge key count (20,000 keys)', body: msg(manyKeys(20_000)), expect: 'deliver', payloadText: manyKeys(20_000) },
  { name: 'unknown top-level attributes', body: msg('{"a":1}', ',"source":"crm","tags":["x"]'), expect: 'deliver', payloadText: '{"a":1}', drift: [] },
  { name: 'bad event_time (words)', body: msg('{"a":1}', ',"event_time":"yesterday"'), expect: 'INVALID_EVENT_TIME' },
  { name: 'bad event_time (Feb 30)', body: msg('{"a":1}', ',"event_time":"2026-02-30T10:00:00Z"'), expect: 'INVALID_EVENT_TIME' },
  { name: 'bad event_time (no offset)', body: msg('{"a":1}', ',"event_time":"2026-11-26T10:00:00"'), expect: 'INVALID_EVENT_TIME' },
  { name: 'bad event_time (epoch number)', body: msg('{"a":1}', ',"event_time":1764150000'), expect: 'INVALID_EVENT_TIME' },
  { name: 'event_time beyond 2^53 microseconds (year 2300)', body: msg('{"a":1}', ',"event_time":"2300-01-01T00:00:00Z"'), expect: 'INVALID_EVENT_TIME' },
  { name: 'bad message_id (empty)', body: '{"message_id":"","json_payload":{"a":1}}', expect: 'INVALID_MESSAGE_ID' },
  { name: 'bad message_id (space)', body: '{"message_id":"a b","json_payload":{"a":1}}', expect: 'INVALID_MESSAGE_ID' },
  { name: 'bad message_id (number)', body: '{"message_id":12,"json_payload":{"a":1}}', expect: 'INVALID_MESSAGE_ID' },
  {
    name: 'prototype-pollution keys delivered as data',
    body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"message_id":"m-1","json_payload":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":1}}',
    expect: 'deliver',
    payloadText: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":1}',
    drift: ['__proto__', 'constructor'],
  },
];
