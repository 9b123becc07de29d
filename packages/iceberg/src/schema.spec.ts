import { validateRow } from './schema';

const good = {
  topic_name: 'orders',
  message_id: 'm-1',
  event_time: 1795677342123000,
  ingested_at: 1795680943000000,
  json_payload: '{"a":1}',
  drift_fields: ['extra'],
  receive_count: 1,
  source_queue: 'lo-dev-orders',
};

describe('validateRow', () => {
  it('accepts a row that fits, with or without the optional event_time', () => {
    expect(validateRow(good)).toBeNull();
    expect(validateRow({ ...good, event_time: null })).toBeNull();
    const { event_time: _omitted, ...withoutEventTime } = good;
    expect(validateRow(withoutEventTime)).toBeNull();
    expect(validateRow({ ...good, drift_fields: [] })).toBeNull();
  });

  it('refuses records that are not JSON objects', () => {
    expect(validateRow(null)).toMatch(/not a JSON object/);
    expect(validateRow([good])).toMatch(/not a JSON object \(got array\)/);
    expect(validateRow('{"topic_name":"x"}')).toMatch(/not a JSON object/);
  });

  it('names an unknown column', () => {
    expect(validateRow({ ...good, _fault: 'firehose_reject' })).toBe('unknown column "_fault"');
  });

  it('names a missing or null required column', () => {
    const { message_id: _m, ...missing } = good;
    expect(validateRow(missing)).toBe('missing required column "message_id"');
    expect(validateRow({ ...good, drift_fields: null })).toBe('missing required column "drift_fields"');
  });

  it.each([
    [{ receive_count: '1' }, /column "receive_count": expected int, got string/],
    [{ receive_count: 1.5 }, /column "receive_count": expected int/],
    [{ receive_count: 2 ** 31 }, /int out of 32-bit range/],
    [{ topic_name: 42 }, /column "topic_name": expected string, got number/],
    [{ json_payload: { a: 1 } }, /column "json_payload": expected string, got object/],
    [{ json_payload: 'bad \ud800 surrogate' }, /lone UTF-16 surrogate/],
    [{ ingested_at: '2026-11-26T08:15:43.000Z' }, /column "ingested_at": expected timestamp as epoch microseconds \(integer\), got string/],
    [{ ingested_at: 1795680942000.5 }, /column "ingested_at": expected timestamp as epoch microseconds/],
    [{ ingested_at: 2 ** 53 + 2 }, /beyond 2\^53/],
    [{ event_time: '2026-11-26T08:15:42.123+01:00' }, /column "event_time": expected timestamp as epoch microseconds/],
    [{ drift_fields: 'extra' }, /column "drift_fields": expected list, got string/],
    [{ drift_fields: ['a', 1] }, /column "drift_fields" element 1: expected string, got number/],
    [{ drift_fields: ['a', null] }, /element 1 is null but elements are required/],
  ])('refuses a wrong type: %j', (patch, message) => {
    expect(validateRow({ ...good, ...patch })).toMatch(message);
  });
});
