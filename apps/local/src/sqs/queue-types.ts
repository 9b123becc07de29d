import type { FaultRegistry } from '../faults/fault-registry';
import type { MessageAttributes } from './message-md5';

export interface SendInput {
  body: string;
  delaySeconds?: number;
  messageAttributes?: MessageAttributes;
  /** Message system attributes given on send (only AWSTraceHeader exists). */
  systemAttributes?: Record<string, string>;
}

export interface SendResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
}

export interface ReceiveOptions {
  /** Messages to return at most (the API allows 1..10; in-process callers such as the ESM may ask for more). */
  max: number;
  /** Overrides the queue's VisibilityTimeout for this receive. */
  visibilityTimeout?: number;
  /** Long polling: wait up to this long for a first message. */
  waitMs?: number;
  signal?: AbortSignal;
  /** Stop before the bodies pass this many characters; the first message may exceed it unless strictMaxBytes. */
  maxBytes?: number;
  /** With maxBytes: return nothing, at once, when the next visible message does not fit. */
  strictMaxBytes?: boolean;
}

/** What a receive takes at once (long polling aside). */
export type TakeOptions = Omit<ReceiveOptions, 'waitMs' | 'signal'>;

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** System attributes, all of them (callers select). */
  attributes: Record<string, string>;
  messageAttributes?: MessageAttributes;
  md5OfMessageAttributes?: string;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface MoveTask {
  taskHandle: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  sourceArn: string;
  destinationArn?: string;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove: number;
  startedTimestamp: number;
  failureReason?: string;
}

export interface QueueStoreOptions {
  region: string;
  /** Journal directory root; queues persist under `<dataDir>/sqs/`. Without it, queues live in memory only. */
  dataDir?: string;
  faults?: FaultRegistry;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** SenderId reported for messages (AWS: the sender's account or principal id). */
  senderId?: string;
  /** Called for every message a send accepts (not for moves to a DLQ or redrives). */
  onSend?: (queueName: string, messageId: string, body: string) => void;
}
