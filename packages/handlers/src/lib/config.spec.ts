import { ENV, handlerEnv, type HandlerEnvValues, DEFAULT_HANDLER_TUNING } from '@lean-ops/contracts';
import { dlqConfig } from '../dlq-processor/config';
import { processorConfig } from '../sqs-processor/config';
import { TopicIndex, topicsEnv } from './config';

const values: HandlerEnvValues = {
  namePrefix: 'lo-dev',
  topics: [
    {
      topic: 'orders',
      queueName: 'lo-dev-orders',
      queueArn: 'arn:aws:sqs:eu-west-1:1:lo-dev-orders',
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/lo-dev-orders',
      expectedFields: ['id'],
      errorRateAlarm: 'lo-dev-error-rate-orders',
      maximumConcurrency: 5,
    },
  ],
  deliveryStream: 'lo-dev-raw',
  archiveBucket: 'arch',
  checkpointsTable: 'cp',
  locksTable: 'lk',
  errorsTable: 'er',
  alertTopicArn: 'arn:sns',
  processorFunctionName: 'fn',
  dlqUrl: 'http://q',
  ...DEFAULT_HANDLER_TUNING,
};

describe('handler config', () => {
  it('reads what handlerEnv writes', () => {
    const c = processorConfig(handlerEnv('sqs-processor', values));
    expect(c.deliveryStream).toBe('lo-dev-raw');
    expect(c.errorTtlDays).toBe(30);
    expect(c.topics.forQueueArn('arn:aws:sqs:x:y:lo-dev-orders')?.queueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/1/lo-dev-orders');
    expect([c.retryBaseDelaySeconds, c.retryMaxDelaySeconds]).toEqual([10, 300]);
    expect([c.crashQuarantineAfter, c.maxReceiveCount]).toEqual([2, 3]);
  });
  it('gives the DLQ processor its queue URL and retry pacing', () => {
    const c = dlqConfig(handlerEnv('dlq-processor', values));
    expect([c.dlqUrl, c.retryBaseDelaySeconds, c.retryMaxDelaySeconds]).toEqual(['http://q', 10, 300]);
    const env = handlerEnv('dlq-processor', values);
    delete env[ENV.retryMaxDelaySeconds];
    expect(() => dlqConfig(env)).toThrow(ENV.retryMaxDelaySeconds);
  });
  it('names the missing variable', () => {
    const env = handlerEnv('sqs-processor', values);
    delete env[ENV.deliveryStream];
    expect(() => processorConfig(env)).toThrow(ENV.deliveryStream);
  });
  it('refuses topics that are not an array of topic configs', () => {
    expect(() => topicsEnv({ [ENV.topics]: '{}' })).toThrow(/array/);
    expect(() => topicsEnv({ [ENV.topics]: '[{"topic":"Bad Name","queueName":"q","queueArn":"a","queueUrl":"u"}]' })).toThrow(/\[0\]/);
    expect(() => topicsEnv({ [ENV.topics]: '[{"topic":"orders","queueName":"q","queueArn":"a"}]' })).toThrow(/\[0\] needs topic, queueName, queueArn and queueUrl/);
  });
  it('finds topics by alarm', () => {
    expect(new TopicIndex(values.topics).forAlarm('lo-dev-error-rate-orders')?.topic).toBe('orders');
  });
});
