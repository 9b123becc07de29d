import type { SQSEvent, SQSRecord } from 'aws-lambda';

export const ACCOUNT = '123456789012';
export const queueArn = (queueName: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${queueName}`;

export interface RecordSpec {
  body: string;
  messageId?: string;
  queueName: string;
  receiveCount?: number;
  sentTimestamp?: number;
  extraAttributes?: Record<string, string>;
}

let seq = 0;

export function sqsRecord(spec: RecordSpec): SQSRecord {
  const messageId = spec.messageId ?? `sqs-${++seq}-${Math.random().toString(16).slice(2, 10)}`;
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: spec.body,
    attributes: {
      ApproximateReceiveCount: String(spec.receiveCount ?? 1),
      SentTimestamp: String(spec.sentTimestamp ?? Date.UTC(2026, 10, 26, 8, 0, 0)),
      SenderId: 'AIDTEST',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...spec.extraAttributes,
    } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn(spec.queueName),
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context with a fixed time budget. */
export const contextWithBudget = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};
