import type { MessageAttributes } from '../sqs/message-md5';
import type { ReceivedMessage } from '../sqs/queue-store';

/** One record of the SQS event Lambda passes to a function (the shape AWS documents for SQS event sources). */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

const EVENT_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn', 'AWSTraceHeader'];

function eventMessageAttributes(attrs: MessageAttributes | undefined): SqsEventRecord['messageAttributes'] {
  const out: SqsEventRecord['messageAttributes'] = {};
  for (const [name, a] of Object.entries(attrs ?? {})) {
    out[name] = {
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: a.DataType,
    };
  }
  return out;
}

export function toSqsEventRecord(m: ReceivedMessage, eventSourceARN: string, awsRegion: string): SqsEventRecord {
  const attributes: Record<string, string> = {};
  for (const k of EVENT_ATTRIBUTES) if (m.attributes[k] !== undefined) attributes[k] = m.attributes[k];
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes: eventMessageAttributes(m.messageAttributes),
    ...(m.md5OfMessageAttributes ? { md5OfMessageAttributes: m.md5OfMessageAttributes } : {}),
    md5OfBody: m.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}
