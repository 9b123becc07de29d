import type { MessageAttributes } from './message-md5';

/** A message as it outlives the process: what the journal keeps of it. */
export interface StoredMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  senderId: string;
  /** Enqueued on this queue: a move to a DLQ restarts it (ApproximateAgeOfOldestMessage counts from the move). */
  enqueuedAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  delayedUntil?: number;
  deadLetterQueueSourceArn?: string;
  messageAttributes?: MessageAttributes;
  /** System attributes sent with the message (AWSTraceHeader). */
  systemAttributes?: Record<string, string>;
}

/** One change to a queue, in the order it happened. */
export type JournalEntry =
  | { kind: 'queue'; attributes: Record<string, string>; created: number; modified: number; tags: Record<string, string> }
  | { kind: 'sent'; message: StoredMessage }
  | { kind: 'deleted'; messageId: string }
  | { kind: 'received'; messageId: string; receiveCount: number; firstReceiveTimestamp: number }
  | { kind: 'purged' };
