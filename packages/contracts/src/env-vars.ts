/** Lambda environment variable names, set by ComputeModule and read by the handlers. */

export const ENV = {
  namePrefix: 'LEAN_OPS_NAME_PREFIX',
  /** JSON: TopicRuntimeConfig[] */
  topics: 'LEAN_OPS_TOPICS',
  deliveryStream: 'LEAN_OPS_DELIVERY_STREAM',
  archiveBucket: 'LEAN_OPS_ARCHIVE_BUCKET',
  checkpointsTable: 'LEAN_OPS_CHECKPOINTS_TABLE',
  locksTable: 'LEAN_OPS_LOCKS_TABLE',
  errorsTable: 'LEAN_OPS_ERRORS_TABLE',
  alertTopicArn: 'LEAN_OPS_ALERT_TOPIC_ARN',
  processorFunctionName: 'LEAN_OPS_PROCESSOR_FUNCTION',
  dlqUrl: 'LEAN_OPS_DLQ_URL',
  breakerCooldownSeconds: 'LEAN_OPS_BREAKER_COOLDOWN_SECONDS',
  errorRateThresholdPercent: 'LEAN_OPS_ERROR_RATE_THRESHOLD_PERCENT',
  errorRateMinErrors: 'LEAN_OPS_ERROR_RATE_MIN_ERRORS',
  errorTtlDays: 'LEAN_OPS_ERROR_TTL_DAYS',
  checkpointTtlDays: 'LEAN_OPS_CHECKPOINT_TTL_DAYS',
  waterBalanceWindowMinutes: 'LEAN_OPS_WATER_BALANCE_WINDOW_MINUTES',
  /** Retry pacing (seconds): visibility of a RETRY record = min(base * 2^(receiveCount - 1), max). */
  retryBaseDelaySeconds: 'LEAN_OPS_RETRY_BASE_DELAY_SECONDS',
  retryMaxDelaySeconds: 'LEAN_OPS_RETRY_MAX_DELAY_SECONDS',
  /** Crash isolation: a record that crashed its invocation this many times is quarantined as CRASHED_RUNTIME. */
  crashQuarantineAfter: 'LEAN_OPS_CRASH_QUARANTINE_AFTER',
  /** The topic queues' redrive maxReceiveCount: a record on its last receive is re-queued, never risked. */
  maxReceiveCount: 'LEAN_OPS_MAX_RECEIVE_COUNT',
} as const;
export type EnvVarName = (typeof ENV)[keyof typeof ENV];

/** Per-topic runtime configuration passed to the handlers as JSON in `LEAN_OPS_TOPICS`. */
export interface TopicRuntimeConfig {
  topic: string;
  queueName: string;
  queueArn: string;
  /** The queue's URL attribute: SQS API calls (ChangeMessageVisibilityBatch) address a queue by URL, not ARN. */
  queueUrl: string;
  expectedFields: string[];
  errorRateAlarm: string;
  /** The ESM's configured maximum concurrency (restored when the breaker closes). */
  maximumConcurrency: number;
}
