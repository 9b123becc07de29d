/**
 * DynamoDB tables: key schema and attribute names, shared by StateModule (Terraform) and the handlers.
 */

export const CHECKPOINTS = {
  /** Water-balance counters per topic and minute. */
  partitionKey: 'topic_name',
  sortKey: 'window_start', // ISO minute, e.g. 2026-11-26T08:15Z
  attributes: {
    received: 'received',
    delivered: 'delivered',
    dropped: 'dropped',
    retried: 'retried',
    /** First receives (ApproximateReceiveCount 1) and those among them retried: the breaker probe's counts. */
    firstReceived: 'first_received',
    firstFailed: 'first_failed',
    dlqArchived: 'dlq_archived',
    updatedAt: 'updated_at',
  },
  ttlAttribute: 'expires_at',
} as const;

export const LOCKS = {
  /** Circuit-breaker state per topic. */
  partitionKey: 'lock_id', // circuit-breaker#<topic>
  attributes: {
    topic: 'topic_name',
    state: 'state',
    version: 'version',
    changedAt: 'changed_at',
    openedAt: 'opened_at',
    reason: 'reason',
  },
  ttlAttribute: 'expires_at',
} as const;

export const ERRORS = {
  /** The error tracker. */
  partitionKey: 'topic_name',
  sortKey: 'message_id',
  attributes: {
    errorClass: 'error_class',
    errorCode: 'error_code',
    lastError: 'last_error',
    firstSeen: 'first_seen',
    lastSeen: 'last_seen',
    receiveCount: 'receive_count',
    archiveKey: 'archive_key',
    payloadSha256: 'payload_sha256',
    status: 'status',
    sourceQueue: 'source_queue',
  },
  ttlAttribute: 'expires_at',
} as const;

export const TABLE_SCHEMAS = {
  checkpoints: { partitionKey: CHECKPOINTS.partitionKey, sortKey: CHECKPOINTS.sortKey, ttlAttribute: CHECKPOINTS.ttlAttribute },
  locks: { partitionKey: LOCKS.partitionKey, sortKey: undefined, ttlAttribute: LOCKS.ttlAttribute },
  errors: { partitionKey: ERRORS.partitionKey, sortKey: ERRORS.sortKey, ttlAttribute: ERRORS.ttlAttribute },
} as const;

export const ERROR_STATUS = ['QUARANTINED', 'DLQ_ARCHIVED', 'REDRIVEN'] as const;
export type ErrorStatus = (typeof ERROR_STATUS)[number];

export const BREAKER_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export const breakerLockId = (topic: string) => `circuit-breaker#${topic}`;

/** `2026-11-26T08:15:42.123Z` -> `2026-11-26T08:15Z` (the checkpoint window). */
export function minuteWindow(date: Date): string {
  return `${date.toISOString().slice(0, 16)}Z`;
}

/** Error-tracker attributes written by the redrive tool when it replays an item (status becomes REDRIVEN). */
export const ERROR_REDRIVE_ATTRIBUTES = {
  redrivenAt: 'redriven_at',
  /** Times the item was replayed: each replay first claims the item with a conditional update. */
  redriveCount: 'redrive_count',
} as const;
