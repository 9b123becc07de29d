import { DEFAULTS, LIMITS, TABLE_OPTIMIZER_DEFAULTS } from '@lean-ops/contracts';

/**
 * Values an environment file may leave out, and the bounds the schema enforces beyond the AWS limits
 * in @lean-ops/contracts. AWS-derived values are taken from contracts; the rest are pipeline choices.
 */
export const CONFIG_DEFAULTS = {
  tags: {} as Record<string, string>,
  topic: { batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 5 },
  lambda: { memoryMb: 512, timeoutSeconds: 60 },
  messaging: {
    maxReceiveCount: DEFAULTS.maxReceiveCount,
    queueRetentionSeconds: DEFAULTS.queueRetentionSeconds,
    dlqRetentionSeconds: DEFAULTS.dlqRetentionSeconds,
    retryBaseDelaySeconds: DEFAULTS.retryBaseDelaySeconds,
    retryMaxDelaySeconds: DEFAULTS.retryMaxDelaySeconds,
  },
  firehose: { bufferSizeMb: 64, bufferIntervalSeconds: 60, retryDurationSeconds: 300 },
  retention: { logDays: 30, archiveTransitionDays: 30, archiveExpirationDays: 365, noncurrentVersionDays: 30 },
  alarms: {
    errorRatePercent: DEFAULTS.errorRateThresholdPercent,
    errorRateMinErrors: DEFAULTS.errorRateMinErrors,
    dlqDepth: 1,
    dlqMaxAgeSeconds: DEFAULTS.dlqMaxAgeSeconds,
    waterBalanceGap: 0,
    alertEmails: [] as string[],
    /** The processor's AWS/Lambda Errors and Throttles, and Firehose ThrottledRecords, per 5 minutes: any is news. */
    processorErrors: 1,
    processorThrottles: 1,
    firehoseThrottledRecords: 1,
  },
  /** Glue table optimizers on the RAW table (the Glue defaults for the retention values). */
  tableMaintenance: {
    compaction: true,
    snapshotRetention: true,
    snapshotRetentionDays: TABLE_OPTIMIZER_DEFAULTS.snapshotRetentionDays,
    snapshotsToRetain: TABLE_OPTIMIZER_DEFAULTS.snapshotsToRetain,
    orphanFileDeletion: true,
    orphanFileRetentionDays: TABLE_OPTIMIZER_DEFAULTS.orphanFileRetentionDays,
  },
  breaker: { cooldownSeconds: DEFAULTS.breakerCooldownSeconds },
} as const;

export const CONFIG_LIMITS = {
  /** Environment (stack) names become directory and Terraform workspace names. */
  environmentNamePattern: /^[a-z][a-z0-9-]{0,29}$/,
  accountIdPattern: /^\d{12}$/,
  /** S3 bucket naming rules (3..63, lower-case, digits, `.` and `-`). */
  bucketPattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  emailPattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  /** One DLQ serves every topic queue, and its redrive-allow policy names at most 10 source queues. */
  maxTopics: LIMITS.sqsMaxRedriveSourceQueues,
  /** Firehose retry_options.duration_in_seconds: 0..7200. */
  firehoseMaxRetrySeconds: 7200,
  /** The breaker is driven by a schedule; 5 s keeps a laptop run responsive and never busy-loops. */
  breakerMinCooldownSeconds: 5,
  breakerMaxCooldownSeconds: 24 * 3600,
  /** S3 tag limits: key 1..128, value 0..256 characters. */
  tagKeyMaxLength: 128,
  tagValueMaxLength: 256,
  /** Lambda: timeout 1..900 s (contracts holds the maximum). */
  lambdaMinTimeoutSeconds: 1,
  lambdaMaxTimeoutSeconds: LIMITS.lambdaMaxTimeoutSeconds,
} as const;
