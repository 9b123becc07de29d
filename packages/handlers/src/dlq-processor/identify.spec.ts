import { identifyDeadLetter } from './identify';

const arn = 'arn:aws:sqs:eu-west-1:123456789012:lo-dev-orders';

describe('identifyDeadLetter', () => {
  it('takes the topic from the source queue and the producer id from the body', () => {
    expect(identifyDeadLetter('lo-dev', '{"message_id":"p-1","json_payload":{}}', 'sqs-1', arn)).toEqual({
      topic: 'orders',
      messageId: 'p-1',
      sourceQueueArn: arn,
      sourceQueue: 'lo-dev-orders',
    });
  });
  it('falls back to the body topic, then unknown', () => {
    expect(identifyDeadLetter('lo-dev', '{"topic_name":"payments"}', 'sqs-1', undefined).topic).toBe('payments');
    expect(identifyDeadLetter('lo-dev', '{"topic":"payments"}', 'sqs-1', undefined).topic).toBe('payments');
    expect(identifyDeadLetter('lo-dev', 'not json', 'sqs-1', undefined)).toMatchObject({ topic: 'unknown', messageId: 'sqs-1' });
  });
  it('never takes a body topic that could escape its S3 folder', () => {
    expect(identifyDeadLetter('lo-dev', '{"topic":"../etc"}', 'sqs-1', undefined).topic).toBe('unknown');
  });
  it('uses the SQS id when the producer id is invalid', () => {
    expect(identifyDeadLetter('lo-dev', '{"message_id":"a b"}', 'sqs-1', arn).messageId).toBe('sqs-1');
  });
  it('does not read topics from another prefix or the DLQ itself', () => {
    expect(identifyDeadLetter('lo-dev', '{}', 'sqs-1', 'arn:aws:sqs:eu-west-1:1:lo-dev-dlq').topic).toBe('unknown');
  });
});
