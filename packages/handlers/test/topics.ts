import type { HandlerEnvValues, TopicRuntimeConfig } from '@lean-ops/contracts';
import { names, DEFAULT_HANDLER_TUNING } from '@lean-ops/contracts';
import { ACCOUNT, queueArn } from './sqs-event';

export const PREFIX = 'lo-test';

/** Where queue URLs point unless a test starts an SQS stand-in (the SDK sends to the queue URL's host). */
export const NO_SQS = 'http://127.0.0.1:1';
export const queueUrl = (sqsEndpoint: string, queueName: string) => `${sqsEndpoint}/${ACCOUNT}/${queueName}`;

export const topicConfig = (topic: string, expectedFields: string[] = ['a', 'id'], maximumConcurrency = 5, sqsEndpoint = NO_SQS): TopicRuntimeConfig => ({
  topic,
  queueName: names.topicQueue(PREFIX, topic),
  queueArn: queueArn(names.topicQueue(PREFIX, topic)),
  queueUrl: queueUrl(sqsEndpoint, names.topicQueue(PREFIX, topic)),
  expectedFields,
  errorRateAlarm: names.errorRateAlarm(PREFIX, topic),
  maximumConcurrency,
});

export const TABLES = { checkpoints: names.table(PREFIX, 'checkpoints'), locks: names.table(PREFIX, 'locks'), errors: names.table(PREFIX, 'errors') };
export const ARCHIVE_BUCKET = 'lo-test-archive';

export function envValues(topics: TopicRuntimeConfig[], overrides: Partial<HandlerEnvValues> = {}): HandlerEnvValues {
  return {
    namePrefix: PREFIX,
    topics,
    deliveryStream: names.deliveryStream(PREFIX),
    archiveBucket: ARCHIVE_BUCKET,
    checkpointsTable: TABLES.checkpoints,
    locksTable: TABLES.locks,
    errorsTable: TABLES.errors,
    alertTopicArn: `arn:aws:sns:us-east-1:123456789012:${names.alertTopic(PREFIX)}`,
    processorFunctionName: names.fn(PREFIX, 'sqs-processor'),
    dlqUrl: `http://sqs.local/123456789012/${names.dlq(PREFIX)}`,
    ...DEFAULT_HANDLER_TUNING,
    ...overrides,
  };
}
