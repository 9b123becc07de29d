import { parseMessage } from './parse-message';

const ok = (body: string) => {
  const r = parseMessage(body);
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.detail}`);
  return r;
};

describe('parseMessage', () => {
  it('extracts the payload text byte for byte wherever the member sits', () => {
    expect(ok('{"json_payload" :\n  {"a": [1, {"b": "}"}]}\n, "message_id":"x"}').payloadText).toBe('{"a": [1, {"b": "}"}]}');
    expect(ok('{"message_id":"x","json_payload":{"s":"quote \\" brace { and \\\\"}}').payloadText).toBe('{"s":"quote \\" brace { and \\\\"}');
    expect(ok('{"json_payload":{}}').payloadText).toBe('{}');
  });

  it('ignores a nested json_payload key when finding the top-level one', () => {
    const r = ok('{"meta":{"json_payload":{"wrong":1}},"json_payload":{"right":1}}');
    expect(r.payloadText).toBe('{"right":1}');
    expect(r.extraAttributes).toEqual(['meta']);
  });

  it('returns the producer id, event time and payload keys', () => {
    const r = ok('{"message_id":"ord-1","event_time":"2026-11-26T08:15:42.123+01:00","json_payload":{"b":1,"a":2}}');
    expect(r.messageId).toBe('ord-1');
    expect(r.eventTimeMicros).toBe(Date.parse('2026-11-26T08:15:42.123+01:00') * 1000);
    expect(r.payloadKeys.sort()).toEqual(['a', 'b']);
  });

  it('treats null message_id and event_time as absent', () => {
    const r = ok('{"message_id":null,"event_time":null,"json_payload":{}}');
    expect(r.messageId).toBeUndefined();
    expect(r.eventTimeMicros).toBeNull();
  });

  it('does not count the _fault attribute as an extra attribute', () => {
    expect(ok('{"_fault":"firehose_reject","json_payload":{}}').extraAttributes).toEqual([]);
  });

  it('accepts a 256-character id and refuses 257', () => {
    expect(ok(`{"message_id":"${'a'.repeat(256)}","json_payload":{}}`).messageId).toHaveLength(256);
    expect(parseMessage(`{"message_id":"${'a'.repeat(257)}","json_payload":{}}`)).toMatchObject({ ok: false, reason: 'INVALID_MESSAGE_ID' });
  });

  it('refuses a missing body', () => {
    expect(parseMessage(undefined)).toMatchObject({ ok: false, reason: 'EMPTY_BODY' });
    expect(parseMessage(null)).toMatchObject({ ok: false, reason: 'EMPTY_BODY' });
  });

  it('accepts valid UTF-8 bytes with a BOM', () => {
    const r = parseMessage(Buffer.from('\uFEFF{"json_payload":{"é":1}}', 'utf8'));
    expect(r).toMatchObject({ ok: true, payloadText: '{"é":1}' });
  });

  it('allows depth 512 and refuses 513', () => {
    const nest = (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`;
    expect(parseMessage(`{"json_payload":{"a":${nest(510)}}}`)).toMatchObject({ ok: true });
    expect(parseMessage(`{"json_payload":{"a":${nest(511)}}}`)).toMatchObject({ ok: false, reason: 'VALIDATION_ERROR' });
  });
});

describe('event_time', () => {
  const eventTimeOk = (value: string) => parseMessage(JSON.stringify({ event_time: value, json_payload: {} })).ok;
  it.each([
    ['2026-11-26T08:15Z', true],
    ['2026-11-26T08:15:42Z', true],
    ['2026-11-26T08:15:42.123456789-05:30', true],
    ['2024-02-29T00:00:00Z', true],
    ['2026-02-29T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-11-26T24:00:00Z', false],
    ['2026-11-26T08:60:00Z', false],
    ['2026-11-26T08:15:42+25:00', false],
    ['2026-11-26 08:15:42Z', false],
    ['2026-11-26', false],
    ['2300-01-01T00:00:00Z', false],
  ])('%s -> %s', (value, expected) => expect(eventTimeOk(value)).toBe(expected));
});
