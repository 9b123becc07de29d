import type { AlarmThresholds, TableMaintenanceSettings } from '@lean-ops/contracts';

/**
 * The typed environment configuration. An `environments/<env>.tfvars` file is parsed, validated once
 * (see schema.ts) and turned into this; everything downstream trusts the type.
 */

export interface TopicConfig {
  /** Topic name (queue `<prefix>-<name>`). */
  name: string;
  /** ESM batch size (1..10,000); > 10 requires batchingWindowSeconds > 0. */
  batchSize: number;
  /** ESM maximum batching window in seconds (0..300). */
  batchingWindowSeconds: number;
  /** ESM maximum concurrency (2..1000). */
  maximumConcurrency: number;
  /** Payload keys the topic expects; others are recorded as drift (never rejected). */
  expectedFields: string[];
}

export interface LambdaConfig {
  memoryMb: number;
  timeoutSeconds: number;
}

/** Glue table optimizers on the RAW table (contracts: the one definition modules take too). */
export type TableMaintenanceConfig = TableMaintenanceSettings;

export interface EnvironmentConfig {
  /** Environment (stack) name, from the file name: `environments/dev.tfvars` -> `dev`. */
  environment: string;
  /** Absolute path of the file it was read from (for messages). */
  sourceFile: string;
  region: string;
  /** The provider refuses to act on any other account; the first one also names the buckets. */
  allowedAccountIds: string[];
  namePrefix: string;
  tags: Record<string, string>;
  backend: { bucket: string; key: string; region: string };
  topics: TopicConfig[];
  /** Processor Lambda. DLQ processor, breaker and monitor use their own small defaults. */
  lambda: LambdaConfig;
  messaging: {
    maxReceiveCount: number;
    /** Explicit visibility timeout; when absent: visibilityTimeoutFactor x lambda.timeoutSeconds. */
    visibilityTimeoutSeconds: number;
    queueRetentionSeconds: number;
    dlqRetentionSeconds: number;
    /** Retry pacing: a RETRY record becomes visible again after min(base * 2^(receiveCount - 1), max) seconds. */
    retryBaseDelaySeconds: number;
    /** Cap of the retry delay; base <= max <= visibilityTimeoutSeconds. */
    retryMaxDelaySeconds: number;
  };
  firehose: { bufferSizeMb: number; bufferIntervalSeconds: number; retryDurationSeconds: number };
  retention: {
    logDays: number;
    /** Archive (quarantine + DLQ archive): move to cheaper storage after, expire after. */
    archiveTransitionDays: number;
    archiveExpirationDays: number;
    /** Noncurrent object versions expire after. */
    noncurrentVersionDays: number;
  };
  alarms: AlarmThresholds;

  /** Glue table optimizers on the RAW table: compaction, snapshot retention, orphan-file deletion. */
  tableMaintenance: TableMaintenanceConfig;
  breaker: { cooldownSeconds: number };
}
