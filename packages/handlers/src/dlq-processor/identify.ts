import { TOPIC_NAME_PATTERN, producerMessageIdOf, queueNameFromArn, topicFromQueueName } from '@lean-ops/contracts';

export interface DlqIdentity {
  topic: string;
  messageId: string;
  sourceQueueArn: string | null;
  sourceQueue: string;
}

export const UNKNOWN_TOPIC = 'unknown';

function bodyObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ownString = (o: Record<string, unknown> | undefined, key: string) => (o && Object.prototype.hasOwnProperty.call(o, key) && typeof o[key] === 'string' ? (o[key] as string) : undefined);

/**
 * Which topic a dead letter came from and under which id to file it. The topic comes from the
 * DeadLetterQueueSourceArn attribute, else the body's topic (checked against the topic name rule, since it
 * becomes part of an S3 key), else `unknown`. The id is the producer's message_id when valid, else the SQS id,
 * which stays the same when SQS moves a message to the DLQ.
 */
export function identifyDeadLetter(prefix: string, body: string, sqsMessageId: string, sourceArn: string | undefined): DlqIdentity {
  const parsed = bodyObject(body);
  const sourceQueue = sourceArn ? queueNameFromArn(sourceArn) : '';
  const fromArn = sourceArn ? topicFromQueueName(prefix, sourceQueue) : undefined;
  const fromBody = [ownString(parsed, 'topic_name'), ownString(parsed, 'topic')].find((t) => t !== undefined && TOPIC_NAME_PATTERN.test(t));
  return {
    topic: fromArn ?? fromBody ?? UNKNOWN_TOPIC,
    // The rule every reader files a message by (contracts' messageIdentity), on the body parsed once here.
    messageId: producerMessageIdOf(parsed) ?? sqsMessageId,
    sourceQueueArn: sourceArn ?? null,
    sourceQueue,
  };
}
