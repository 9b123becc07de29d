import { ENV } from './env-vars';
import { handlerEnv, type HandlerEnvValues, DEFAULT_HANDLER_TUNING } from './handler-env';

const values: HandlerEnvValues = {
  namePrefix: 'lo-dev',
  topics: [
    {
      topic: 'orders',
      queueName: 'lo-dev-orders',
      queueArn: 'arn:aws:sqs:eu-west-1:111111111111:lo-dev-orders',
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/lo-dev-orders',
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
  dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/lo-dev-dlq',
  ...DEFAULT_HANDLER_TUNING,
};

describe('handlerEnv', () => {
  it('gives the processor its retry pacing and the topic queue URLs', () => {
    const env = handlerEnv('sqs-processor', values);
    expect(env[ENV.retryBaseDelaySeconds]).toBe('10');
    expect(env[ENV.retryMaxDelaySeconds]).toBe('300');
    expect(JSON.parse(env[ENV.topics] ?? '[]')[0]?.queueUrl).toBe(values.topics[0]?.queueUrl);
    expect(env[ENV.dlqUrl]).toBeUndefined();
    expect(env[ENV.crashQuarantineAfter]).toBe('2');
    expect(env[ENV.maxReceiveCount]).toBe('3');
  });
  it('gives the DLQ processor the DLQ URL and the retry pacing', () => {
    const env = handlerEnv('dlq-processor', values);
    expect(env[ENV.dlqUrl]).toBe(values.dlqUrl);
    expect(env[ENV.retryBaseDelaySeconds]).toBe('10');
    expect(env[ENV.retryMaxDelaySeconds]).toBe('300');
  });
  it('keeps retry pacing away from handlers that do not retry records', () => {
    for (const kind of ['circuit-breaker', 'water-balance'] as const) {
      expect(handlerEnv(kind, values)[ENV.retryBaseDelaySeconds]).toBeUndefined();
    }
  });
});
