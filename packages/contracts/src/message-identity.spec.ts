import { messageIdentity } from './message';

describe('messageIdentity', () => {
  it.each([
    ['a producer id', '{"message_id":"orders-1","json_payload":{}}', 'orders-1'],
    ['an id with a space (invalid)', '{"message_id":"has space","json_payload":{}}', 'sqs-1'],
    ['a non-string id', '{"message_id":42,"json_payload":{}}', 'sqs-1'],
    ['malformed JSON', '{"message_id":"orders-1",', 'sqs-1'],
    ['an array', '[{"message_id":"orders-1"}]', 'sqs-1'],
    ['no id at all', '{"json_payload":{}}', 'sqs-1'],
    ['an id only inside the payload', '{"json_payload":{"x":"\\"message_id\\""}}', 'sqs-1'],
    ['a key spelled with an escape', '{"message\\u005fid":"orders-1","json_payload":{}}', 'orders-1'],
    ['an inherited name only', '{"__proto__":{"message_id":"orders-1"},"json_payload":{}}', 'sqs-1'],
  ])('%s', (_, body, want) => {
    expect(messageIdentity(body, 'sqs-1')).toBe(want);
  });
});
