/**
 * Settings shapes that an environment file sets and a module takes as props: one definition, read by the config
 * (what `environments/<env>.tfvars` may say) and by the modules (what they build from it).
 */

/** Glue table optimizers on the RAW table: compaction, snapshot retention, orphan-file deletion. */
export interface TableMaintenanceSettings {
  compaction: boolean;
  snapshotRetention: boolean;
  /** Snapshots older than this many days expire (Glue default 5)... */
  snapshotRetentionDays: number;
  /** ...but at least this many are kept (Glue default 1). */
  snapshotsToRetain: number;
  orphanFileDeletion: boolean;
  /** Files no snapshot references are deleted once older than this many days (Glue default 3). */
  orphanFileRetentionDays: number;
}

/** What raises each alarm, and who hears of it. */
export interface AlarmThresholds {
  /** Error-rate alarm: more than this percentage of received records failed... */
  errorRatePercent: number;
  /** ...and at least this many failed (so 1 failure out of 1 record does not trip it). */
  errorRateMinErrors: number;
  /** DLQ depth alarm: this many visible messages or more. */
  dlqDepth: number;
  /** DLQ age alarm: oldest message older than this. */
  dlqMaxAgeSeconds: number;
  /** Water-balance alarm: a gap larger than this many records. */
  waterBalanceGap: number;
  /** E-mail subscribers of the alert topic (may be empty). */
  alertEmails: readonly string[];
  /** The SQS processor's AWS/Lambda Errors (crashes, timeouts) in 5 minutes that raise its alarm. */
  processorErrors: number;
  /** The SQS processor's AWS/Lambda Throttles in 5 minutes that raise its alarm. */
  processorThrottles: number;
  /** Firehose Direct PUT ThrottledRecords in 5 minutes that raise its alarm. */
  firehoseThrottledRecords: number;
}
