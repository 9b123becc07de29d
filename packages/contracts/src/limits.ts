/** AWS service limits and the pipeline's defaults derived from them. One place; everything imports these. */

const KiB = 1024;
const MiB = 1024 * KiB;

export const LIMITS = {
  /** PutRecordBatch: at most 500 records per call. */
  firehoseMaxRecordsPerBatch: 500,
  /** PutRecordBatch: at most 4 MiB per call (sum of record data). */
  firehoseMaxBatchBytes: 4 * MiB,
  /** Firehose: at most 1,000 KiB per record (before base64). */
  firehoseMaxRecordBytes: 1000 * KiB,
  /** SQS: message body up to 1 MiB. */
  sqsMaxMessageBytes: 1 * MiB,
  /** SQS SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch: 10 entries. */
  sqsMaxBatchEntries: 10,
  /** SQS ReceiveMessage: 10 messages per call. */
  sqsMaxReceiveMessages: 10,
  /** SQS message retention: 60 s .. 14 days. */
  sqsMinRetentionSeconds: 60,
  sqsMaxRetentionSeconds: 14 * 24 * 3600,
  /** SQS visibility timeout: 0 .. 12 hours. */
  sqsMaxVisibilityTimeoutSeconds: 12 * 3600,
  /** SQS redrive-allow policy `byQueue`: at most 10 source queue ARNs, so at most 10 topics share one DLQ. */
  sqsMaxRedriveSourceQueues: 10,
  /**
   * SQS RedrivePolicy maxReceiveCount: 1..1000 (the range the SQS console and CreateQueue accept;
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
   */
  sqsMaxReceiveCount: 1000,
  /** SQS delivery delay maximum (DelaySeconds 0..900): the ceiling for the base of a retry backoff. */
  sqsMaxDelaySeconds: 900,
  /** Lambda ESM for SQS: batch size 1..10,000 (standard queues); > 10 requires a batching window. */
  esmMaxBatchSize: 10_000,
  esmBatchSizeWithoutWindow: 10,
  /** Lambda ESM: maximum batching window 300 s. */
  esmMaxBatchingWindowSeconds: 300,
  /** Lambda ESM for SQS: maximum_concurrency 2..1000. */
  esmMinMaximumConcurrency: 2,
  esmMaxMaximumConcurrency: 1000,
  /** Lambda: timeout 1..900 s, memory 128..10,240 MB. */
  lambdaMaxTimeoutSeconds: 900,
  lambdaMinMemoryMb: 128,
  lambdaMaxMemoryMb: 10_240,
  /** AWS documents: SQS visibility timeout >= 6 x the function timeout for Lambda event sources. */
  visibilityTimeoutFactor: 6,
  /** Firehose buffering hints for Iceberg: 1..128 MiB, 0..900 s. */
  firehoseMinBufferMb: 1,
  firehoseMaxBufferMb: 128,
  firehoseMaxBufferSeconds: 900,
  /** CloudWatch Logs retention values accepted by the API. */
  logRetentionDays: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const,
} as const;

export const DEFAULTS = {
  /** Receives before SQS moves a message to the DLQ. */
  maxReceiveCount: 3,
  /** The DLQ keeps messages longer than its sources: 14 days, the SQS maximum. */
  dlqRetentionSeconds: 14 * 24 * 3600,
  /** Source queues: 4 days (the SQS default); must stay below the DLQ's. */
  queueRetentionSeconds: 4 * 24 * 3600,
  /** Circuit-breaker alarm: trips when more than this percentage of records failed... */
  errorRateThresholdPercent: 50,
  /** ...and at least this many failed, so that 1 failure out of 1 record does not trip it. */
  errorRateMinErrors: 10,
  /** DLQ age alarm: oldest message older than 7 days. */
  dlqMaxAgeSeconds: 7 * 24 * 3600,
  /** Circuit breaker: time OPEN before probing with HALF_OPEN. */
  breakerCooldownSeconds: 300,
  /** Error-tracker items expire after this many days (DynamoDB TTL). */
  errorTtlDays: 30,
  /** Checkpoint (water balance) items expire after this many days. */
  checkpointTtlDays: 14,
  /** Processor: attempts for Firehose per-record failures inside one invocation. */
  firehoseMaxAttempts: 3,
  /** Processor: backoff base and cap for re-sends (full jitter). */
  firehoseBackoffBaseMs: 50,
  firehoseBackoffCapMs: 1000,
  /** Processor: stop re-sending when less than this is left of the invocation. */
  safetyMarginMs: 2000,
  /**
   * Retry pacing: a RETRY record's visibility is set to min(base * 2^(receiveCount - 1), max), so a transient
   * failure comes back in seconds rather than after the full visibility timeout (>= 6 x the function timeout).
   */
  retryBaseDelaySeconds: 10,
  retryMaxDelaySeconds: 300,
  /** Crash isolation: invocations a record may crash (while being processed) before it is quarantined. */
  crashQuarantineAfter: 2,
} as const;

/** Water-balance monitor: minutes of checkpoint windows it compares per run (in-flight records settle within this). */
export const WATER_BALANCE_WINDOW_MINUTES = 15;

/**
 * Glue Iceberg table optimizer defaults, as the Glue API applies them when a value is omitted
 * (IcebergRetentionConfiguration, IcebergOrphanFileDeletionConfiguration).
 */
export const TABLE_OPTIMIZER_DEFAULTS = {
  snapshotRetentionDays: 5,
  snapshotsToRetain: 1,
  orphanFileRetentionDays: 3,
} as const;
