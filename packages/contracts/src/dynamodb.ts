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

/**
 * Crash isolation markers, kept in the errors table (the processor's only writable item store: UpdateItem, and
 * BatchGetItem/BatchWriteItem for the markers of a whole batch at once)
 * under sort keys starting with `~record#` / `~run#` (isCrashMarkerKey), so the report and the redrive tool can
 * tell them from tracker items. Written only for records on a second or later receive, or returned for retry.
 */
export const CRASH_MARKERS = {
  /** One per SQS message: `~record#<sqs message id>`. */
  recordPrefix: '~record#',
  /** One per careful run (one invocation's sequential pass over returned records): `~run#<run id>`. */
  runPrefix: '~run#',
  attributes: {
    /** Receive count at which the record's crash state below was last written. */
    seenReceive: 'seen_receive',
    /** Receive count at which an invocation answered for the record (returned it in batchItemFailures). */
    answeredReceive: 'answered_receive',
    /** Invocations that ended without a response while holding the record. */
    crashCount: 'crash_count',
    /** Of those, invocations that died while this very record was being processed. */
    crashPins: 'crash_pins',
    /** The careful run that processes the record, its position in it, and the receive count it ran at. */
    runId: 'run_id',
    runSeq: 'run_seq',
    runReceive: 'run_receive',
    /** Run item: the group of positions [run_last, run_end) being processed (both -1 once the run is done). */
    runLast: 'run_last',
    runEnd: 'run_end',
    /** Set on a re-queued copy's item: the SQS message id it was re-queued from. */
    requeueOf: 'requeue_of',
  },
} as const;

export const isCrashMarkerKey = (messageId: string) => messageId.startsWith(CRASH_MARKERS.recordPrefix) || messageId.startsWith(CRASH_MARKERS.runPrefix);

/** SQS message attribute carrying a re-queued record's crash state and original (`<crashes>:<pins>:<sqs message id>`), so its count can restart. */
export const CRASH_STATE_ATTRIBUTE = 'LeanOpsCrashState';

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

/**
 * CreateTable input for one table from its key schema (string keys, on-demand billing as StateModule creates
 * it). A plain object shaped like the SDK's CreateTableCommandInput, so the local stack and tests share it.
 */
export function createTableInput(kind: keyof typeof TABLE_SCHEMAS, tableName: string) {
  const schema = TABLE_SCHEMAS[kind];
  const keys: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }> = [{ AttributeName: schema.partitionKey, KeyType: 'HASH' }];
  const attrs: Array<{ AttributeName: string; AttributeType: 'S' }> = [{ AttributeName: schema.partitionKey, AttributeType: 'S' }];
  if (schema.sortKey) {
    keys.push({ AttributeName: schema.sortKey, KeyType: 'RANGE' });
    attrs.push({ AttributeName: schema.sortKey, AttributeType: 'S' });
  }
  return { TableName: tableName, KeySchema: keys, AttributeDefinitions: attrs, BillingMode: 'PAY_PER_REQUEST' as const };
}
