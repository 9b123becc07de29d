import type { MessageAttributes } from './message-md5';
import type { MoveTask, ReceivedMessage } from './queue-store';
import type { Json } from './sqs-input';

const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn', 'AWSTraceHeader'];

/** 'All', '.*', exact names and `prefix.*` patterns select message attributes, as ReceiveMessage documents. */
function selectMessageAttributes(attrs: MessageAttributes | undefined, names: string[]): MessageAttributes | undefined {
  if (!attrs || names.length === 0) return undefined;
  const out: MessageAttributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (names.some((n) => n === 'All' || n === '.*' || n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))))) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A received message as ReceiveMessage returns it: the system and message attributes asked for, with their MD5. */
export function messageView(m: ReceivedMessage, wanted: string[], msgAttrNames: string[]): Json {
  const all = wanted.includes('All');
  const attrs: Record<string, string> = {};
  for (const n of SYSTEM_ATTRIBUTES) if ((all || wanted.includes(n)) && m.attributes[n] !== undefined) attrs[n] = m.attributes[n];
  const selected = selectMessageAttributes(m.messageAttributes, msgAttrNames);
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(Object.keys(attrs).length > 0 ? { Attributes: attrs } : {}),
    ...(selected ? { MessageAttributes: selected, MD5OfMessageAttributes: m.md5OfMessageAttributes } : {}),
  };
}

/** A move task as ListMessageMoveTasks returns it. */
export function moveTaskView(t: MoveTask): Json {
  return {
    ...(t.status === 'RUNNING' ? { TaskHandle: t.taskHandle } : {}),
    Status: t.status,
    SourceArn: t.sourceArn,
    ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
    ApproximateNumberOfMessagesMoved: t.approximateNumberOfMessagesMoved,
    ApproximateNumberOfMessagesToMove: t.approximateNumberOfMessagesToMove,
    StartedTimestamp: t.startedTimestamp,
    ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
  };
}
