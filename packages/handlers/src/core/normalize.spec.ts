import { driftFields, toRawRow } from './normalize';
import { parseMessage, type ParsedMessage } from './parse-message';

const ctx = { topic: 'orders', sqsMessageId: 'sqs-9', receiveCount: 2, sourceQueue: 'lo-dev-orders', expectedFields: ['id', 'amount'], ingestedAtMicros: 1795680000000000 };

describe('toRawRow', () => {
  it('builds the RAW row with drift, never rejecting it', () => {
    const parsed = parseMessage('{"event_time":"2026-11-26T07:59:00Z","json_payload":{"zeta":1,"id":7,"alpha":{"id":1}}}') as ParsedMessage;
    expect(toRawRow(parsed, ctx)).toEqual({
      topic_name: 'orders',
      message_id: 'sqs-9',
      event_time: Date.parse('2026-11-26T07:59:00Z') * 1000,
      ingested_at: 1795680000000000,
      json_payload: '{"zeta":1,"id":7,"alpha":{"id":1}}',
      drift_fields: ['alpha', 'zeta'],
      receive_count: 2,
      source_queue: 'lo-dev-orders',
    });
  });

  it('prefers the producer id', () => {
    const parsed = parseMessage('{"message_id":"p-1","json_payload":{}}') as ParsedMessage;
    expect(toRawRow(parsed, ctx).message_id).toBe('p-1');
  });

  it('sorts and de-duplicates drift', () => {
    expect(driftFields(['b', 'a', 'b', 'x'], ['x'])).toEqual(['a', 'b']);
    expect(driftFields(['a'], [])).toEqual(['a']);
  });

  it('gives the same drift with a long declared field list as with a short one', () => {
    const many = Array.from({ length: 40 }, (_, i) => `f${i}`);
    expect(driftFields(['f39', 'zz', 'f0', 'aa', 'zz'], many)).toEqual(['aa', 'zz']);
    expect(driftFields(['f39', 'zz', 'f0', 'aa', 'zz'], ['f39', 'f0'])).toEqual(['aa', 'zz']);
  });
});
