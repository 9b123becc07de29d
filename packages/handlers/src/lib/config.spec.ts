import { ENV, handlerEnv, names } from '@lean-ops/contracts';
import { envValues, PREFIX, topicConfig } from '../../test/topics';
import { dlqConfig } from '../dlq-processor/config';
import { processorConfig } from '../sqs-processor/config';
import { TopicIndex, topicsEnv } from './config';

const orders = topicConfig('orders', ['id']);
const values = envValues([orders], { dlqUrl: 'http://q' });

describe('handler config', () => {
  it('reads what handlerEnv writes', () => {
    const c = processorConfig(handlerEnv('sqs-processor', values));
    expect(c.deliveryStream).toBe(names.deliveryStream(PREFIX));
    expect(c.errorTtlDays).toBe(30);
    // Found by queue name, whatever the region and account in the ARN.
    expect(c.topics.forQueueArn(`arn:aws:sqs:x:y:${orders.queueName}`)?.queueUrl).toBe(orders.queueUrl);
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
    expect(new TopicIndex(values.topics).forAlarm(orders.errorRateAlarm)?.topic).toBe('orders');
  });
});
