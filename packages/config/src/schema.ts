import { z } from 'zod';
import {
  LIMITS,
  NAME_PREFIX_PATTERN,
  REGION_PATTERN,
  TOPIC_NAME_PATTERN,
  batchSizeNeedsWindow,
  dlqOutlivesQueue,
  minimumVisibilityTimeout,
  retryMaxAtLeastBase,
  retryMaxWithinVisibility,
  visibilityCoversFunction,
} from '@lean-ops/contracts';
import { CONFIG_DEFAULTS as D, CONFIG_LIMITS as L } from './defaults';
import type { EnvironmentConfig } from './types';

/** What one file yields; the file name adds `environment` and `sourceFile`. */
export type EnvironmentSettings = Omit<EnvironmentConfig, 'environment' | 'sourceFile'>;

const DAYS_14 = LIMITS.sqsMaxRetentionSeconds;
const MAX_DAYS = 36_500;

/**
 * A literal string. hcl2json renders references and templates (`var.x`, `"${x}"`) as `${...}` strings;
 * an environment file holds values only, so those are refused before any other check.
 */
const text = () =>
  z.string({ error: 'must be a string' }).refine((s) => !s.includes('${'), {
    error: 'must be a literal value; references and templates (${...}) are not allowed in an environment file',
    abort: true,
  });

const int = (min: number, max: number, rule: string) => z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });

const obj = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape, { error: 'must be an object: write `key = { ... }` (blocks are not allowed in an environment file)' });

const list = <T extends z.core.SomeType>(element: T) => z.array(element, { error: 'must be a list: [ ... ]' });

const topicSchema = obj({
  name: text().regex(TOPIC_NAME_PATTERN, {
    error: `topic name must match ${TOPIC_NAME_PATTERN} (it becomes part of queue, alarm and S3 names)`,
  }),
  batch_size: int(1, LIMITS.esmMaxBatchSize, `batch size must be an integer in 1..${LIMITS.esmMaxBatchSize} (AWS)`).default(D.topic.batchSize),
  batching_window_seconds: int(0, LIMITS.esmMaxBatchingWindowSeconds, `batching window must be an integer in 0..${LIMITS.esmMaxBatchingWindowSeconds} seconds (AWS)`).default(
    D.topic.batchingWindowSeconds,
  ),
  maximum_concurrency: int(
    LIMITS.esmMinMaximumConcurrency,
    LIMITS.esmMaxMaximumConcurrency,
    `maximum concurrency must be an integer in ${LIMITS.esmMinMaximumConcurrency}..${LIMITS.esmMaxMaximumConcurrency} (AWS)`,
  ).default(D.topic.maximumConcurrency),
  expected_fields: list(text().min(1, { error: 'expected field names must not be empty' })),
});

const regionRule = `region must look like an AWS region (e.g. eu-west-1)`;

const fileObject = obj({
  region: text().regex(REGION_PATTERN, { error: regionRule }),
  allowed_account_ids: list(text().regex(L.accountIdPattern, { error: 'AWS account id must be 12 digits' })).min(1, {
    error: 'at least one account id is required (the provider refuses every other account)',
  }),
  name_prefix: text().regex(NAME_PREFIX_PATTERN, {
    error: `name prefix must match ${NAME_PREFIX_PATTERN} (S3 bucket and Glue naming rules)`,
  }),
  tags: z
    .record(z.string(), text().max(L.tagValueMaxLength, { error: `tag value must be at most ${L.tagValueMaxLength} characters (AWS)` }), {
      error: 'must be an object of strings: tags = { key = "value" }',
    })
    .default(D.tags),
  backend: obj({
    bucket: text().regex(L.bucketPattern, { error: 'backend bucket must be a valid S3 bucket name (3..63 lower-case letters, digits, . and -)' }),
    key: text().regex(/^[^/\s][^\s]*\.tfstate$/, { error: 'backend key must be a relative path ending in .tfstate' }),
    region: text().regex(REGION_PATTERN, { error: regionRule }).optional(),
  }),
  topics: list(topicSchema)
    .min(1, { error: 'at least one topic is required' })
    .max(L.maxTopics, {
      error: `at most ${L.maxTopics} topics per environment: the DLQ's redrive-allow policy accepts at most ${L.maxTopics} source queues (AWS)`,
    }),
  lambda: obj({
    memory_mb: int(LIMITS.lambdaMinMemoryMb, LIMITS.lambdaMaxMemoryMb, `memory must be an integer in ${LIMITS.lambdaMinMemoryMb}..${LIMITS.lambdaMaxMemoryMb} MB (AWS)`).default(D.lambda.memoryMb),
    timeout_seconds: int(L.lambdaMinTimeoutSeconds, L.lambdaMaxTimeoutSeconds, `timeout must be an integer in ${L.lambdaMinTimeoutSeconds}..${L.lambdaMaxTimeoutSeconds} seconds (AWS)`).default(
      D.lambda.timeoutSeconds,
    ),
  }).prefault({}),
  messaging: obj({
    max_receive_count: int(1, LIMITS.sqsMaxReceiveCount, `max receive count must be an integer in 1..${LIMITS.sqsMaxReceiveCount} (AWS)`).default(D.messaging.maxReceiveCount),
    visibility_timeout_seconds: int(0, LIMITS.sqsMaxVisibilityTimeoutSeconds, `visibility timeout must be an integer in 0..${LIMITS.sqsMaxVisibilityTimeoutSeconds} seconds (AWS)`).optional(),
    queue_retention_seconds: int(LIMITS.sqsMinRetentionSeconds, DAYS_14, `queue retention must be an integer in ${LIMITS.sqsMinRetentionSeconds}..${DAYS_14} seconds (AWS)`).default(
      D.messaging.queueRetentionSeconds,
    ),
    dlq_retention_seconds: int(LIMITS.sqsMinRetentionSeconds, DAYS_14, `DLQ retention must be an integer in ${LIMITS.sqsMinRetentionSeconds}..${DAYS_14} seconds (14 days, the SQS maximum)`).default(
      D.messaging.dlqRetentionSeconds,
    ),
    retry_base_delay_seconds: int(0, LIMITS.sqsMaxDelaySeconds, `retry base delay must be an integer in 0..${LIMITS.sqsMaxDelaySeconds} seconds`).default(D.messaging.retryBaseDelaySeconds),
    retry_max_delay_seconds: int(
      0,
      LIMITS.sqsMaxVisibilityTimeoutSeconds,
      `retry max delay must be an integer in 0..${LIMITS.sqsMaxVisibilityTimeoutSeconds} seconds (AWS visibility timeout range)`,
    ).optional(),
  }).prefault({}),
  firehose: obj({
    buffer_size_mb: int(LIMITS.firehoseMinBufferMb, LIMITS.firehoseMaxBufferMb, `buffer size must be an integer in ${LIMITS.firehoseMinBufferMb}..${LIMITS.firehoseMaxBufferMb} MB (AWS)`).default(
      D.firehose.bufferSizeMb,
    ),
    buffer_interval_seconds: int(0, LIMITS.firehoseMaxBufferSeconds, `buffer interval must be an integer in 0..${LIMITS.firehoseMaxBufferSeconds} seconds (AWS)`).default(
      D.firehose.bufferIntervalSeconds,
    ),
    retry_duration_seconds: int(0, L.firehoseMaxRetrySeconds, `retry duration must be an integer in 0..${L.firehoseMaxRetrySeconds} seconds (AWS)`).default(D.firehose.retryDurationSeconds),
  }).prefault({}),
  retention: obj({
    log_days: z
      .number({ error: 'must be a number' })
      .refine((n) => (LIMITS.logRetentionDays as readonly number[]).includes(n), {
        error: `log retention must be one of ${LIMITS.logRetentionDays.join(', ')} days (CloudWatch Logs)`,
      })
      .default(D.retention.logDays),
    archive_transition_days: int(1, MAX_DAYS, `archive transition must be an integer in 1..${MAX_DAYS} days`).default(D.retention.archiveTransitionDays),
    archive_expiration_days: int(1, MAX_DAYS, `archive expiration must be an integer in 1..${MAX_DAYS} days`).default(D.retention.archiveExpirationDays),
    noncurrent_version_days: int(1, MAX_DAYS, `noncurrent version expiry must be an integer in 1..${MAX_DAYS} days`).default(D.retention.noncurrentVersionDays),
  }).prefault({}),
  alarms: obj({
    error_rate_percent: int(1, 100, 'error rate threshold must be an integer percentage in 1..100').default(D.alarms.errorRatePercent),
    error_rate_min_errors: int(1, 1_000_000, 'minimum errors must be an integer in 1..1000000 (so that 1 failure of 1 record does not trip the breaker)').default(D.alarms.errorRateMinErrors),
    dlq_depth: int(1, 1_000_000, 'DLQ depth threshold must be an integer in 1..1000000').default(D.alarms.dlqDepth),
    dlq_max_age_seconds: int(60, DAYS_14, `DLQ age threshold must be an integer in 60..${DAYS_14} seconds`).default(D.alarms.dlqMaxAgeSeconds),
    water_balance_gap: int(0, 1_000_000_000, 'water-balance gap threshold must be an integer >= 0').default(D.alarms.waterBalanceGap),
    alert_emails: list(text().regex(L.emailPattern, { error: 'must be an e-mail address' })).default([...D.alarms.alertEmails]),
    processor_errors: int(1, 1_000_000, 'processor errors threshold must be an integer in 1..1000000').default(D.alarms.processorErrors),
    processor_throttles: int(1, 1_000_000, 'processor throttles threshold must be an integer in 1..1000000').default(D.alarms.processorThrottles),
    firehose_throttled_records: int(1, 1_000_000_000, 'Firehose throttled records threshold must be an integer in 1..1000000000').default(D.alarms.firehoseThrottledRecords),
  }).prefault({}),
  table_maintenance: obj({
    compaction: z.boolean({ error: 'must be true or false' }).default(D.tableMaintenance.compaction),
    snapshot_retention: z.boolean({ error: 'must be true or false' }).default(D.tableMaintenance.snapshotRetention),
    snapshot_retention_days: int(1, MAX_DAYS, `snapshot retention must be an integer in 1..${MAX_DAYS} days`).default(D.tableMaintenance.snapshotRetentionDays),
    snapshots_to_retain: int(1, 1_000_000, 'snapshots to retain must be an integer in 1..1000000').default(D.tableMaintenance.snapshotsToRetain),
    orphan_file_deletion: z.boolean({ error: 'must be true or false' }).default(D.tableMaintenance.orphanFileDeletion),
    orphan_file_retention_days: int(1, MAX_DAYS, `orphan file retention must be an integer in 1..${MAX_DAYS} days`).default(D.tableMaintenance.orphanFileRetentionDays),
  }).prefault({}),
  breaker: obj({
    cooldown_seconds: int(
      L.breakerMinCooldownSeconds,
      L.breakerMaxCooldownSeconds,
      `breaker cooldown must be an integer in ${L.breakerMinCooldownSeconds}..${L.breakerMaxCooldownSeconds} seconds`,
    ).default(D.breaker.cooldownSeconds),
  }).prefault({}),
});

/** The one schema for `environments/<env>.tfvars` (snake_case in, camelCase EnvironmentSettings out). */
export const environmentFileSchema = fileObject
  // Rules between settings. `when` runs them even if some other key is invalid, so one run lists
  // every problem; they read the partially parsed value defensively.
  .superRefine(checkInvariants, { when: () => true })
  .transform(toSettings);

type Parsed = z.output<typeof fileObject>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Reports one problem at a key path, with the value the file holds there. */
type Problem = (path: Array<string | number>, value: unknown, message: string) => void;

const F = LIMITS.visibilityTimeoutFactor;

/** Rules between keys. Each part reads only values of the right type: a bad value already has its own problem line. */
function checkInvariants(value: unknown, ctx: z.RefinementCtx): void {
  const root = rec(value);
  const problem: Problem = (path, v, message) => ctx.addIssue({ code: 'custom', path, message, params: { value: v } });
  checkAccountsAndTags(root, problem);
  const topics = Array.isArray(root.topics) ? root.topics.map(rec) : [];
  checkTopics(topics, problem);
  checkVisibilityAndRetry(rec(root.lambda), rec(root.messaging), problem);
  checkRetention(root, problem);
}

function checkAccountsAndTags(root: Record<string, unknown>, problem: Problem): void {
  const accounts: unknown[] = Array.isArray(root.allowed_account_ids) ? root.allowed_account_ids : [];
  accounts.forEach((id, i) => {
    if (accounts.indexOf(id) < i) problem(['allowed_account_ids', i], id, `duplicate account id (also allowed_account_ids[${accounts.indexOf(id)}])`);
  });
  for (const key of Object.keys(rec(root.tags))) {
    if (key.length < 1 || key.length > L.tagKeyMaxLength) problem(['tags', key], key, `tag key must be 1..${L.tagKeyMaxLength} characters (AWS)`);
    else if (key.toLowerCase().startsWith('aws:')) problem(['tags', key], key, 'tag keys starting with "aws:" are reserved by AWS');
  }
}

function checkTopics(topics: Array<Record<string, unknown>>, problem: Problem): void {
  const firstIndex = new Map<unknown, number>();
  topics.forEach((topic, i) => {
    const batch = num(topic.batch_size);
    const window = num(topic.batching_window_seconds);
    if (batch !== undefined && window === 0 && batchSizeNeedsWindow(batch, window)) {
      problem(['topics', i, 'batch_size'], batch, `batch size > ${LIMITS.esmBatchSizeWithoutWindow} requires batching_window_seconds > 0 (AWS)`);
    }
    if (typeof topic.name === 'string') {
      const first = firstIndex.get(topic.name);
      if (first === undefined) firstIndex.set(topic.name, i);
      else problem(['topics', i, 'name'], topic.name, `duplicate topic name (also topics[${first}])`);
    }
    const fields: unknown[] = Array.isArray(topic.expected_fields) ? topic.expected_fields : [];
    fields.forEach((f, j) => {
      if (fields.indexOf(f) < j) problem(['topics', i, 'expected_fields', j], f, `duplicate expected field (also expected_fields[${fields.indexOf(f)}])`);
    });
  });
}

function checkVisibilityAndRetry(lambda: Record<string, unknown>, messaging: Record<string, unknown>, problem: Problem): void {
  const timeout = num(lambda.timeout_seconds);
  const visibility = num(messaging.visibility_timeout_seconds);
  if (timeout !== undefined && visibility !== undefined && !visibilityCoversFunction(visibility, timeout)) {
    problem(['messaging', 'visibility_timeout_seconds'], visibility, `visibility timeout must be >= ${F} x lambda.timeout_seconds (${F} x ${timeout} = ${minimumVisibilityTimeout(timeout)}) (AWS)`);
  }
  // Retry pacing shortens the wait of a failed record; it must never make it longer than a crash would.
  const effectiveVisibility = visibility ?? (timeout !== undefined ? minimumVisibilityTimeout(timeout) : undefined);
  // An out-of-range base already has its own problem line; rules between keys read only valid ones.
  const rawBase = num(messaging.retry_base_delay_seconds);
  const retryBase = rawBase !== undefined && rawBase <= LIMITS.sqsMaxDelaySeconds ? rawBase : undefined;
  const retryMax = num(messaging.retry_max_delay_seconds);
  if (effectiveVisibility === undefined) {
    if (retryMax !== undefined && retryBase !== undefined && !retryMaxAtLeastBase(retryMax, retryBase)) retryBelowBase(retryMax, retryBase, problem);
    return;
  }
  const visibilityRule = `the topic queues' visibility timeout (${effectiveVisibility} s${visibility === undefined ? `, ${F} x lambda.timeout_seconds` : ''})`;
  const crashRule = 'a retried record must not wait longer than a crashed one';
  if (retryMax !== undefined) {
    if (retryBase !== undefined && !retryMaxAtLeastBase(retryMax, retryBase)) retryBelowBase(retryMax, retryBase, problem);
    else if (!retryMaxWithinVisibility(retryMax, effectiveVisibility)) {
      problem(['messaging', 'retry_max_delay_seconds'], retryMax, `retry max delay must be <= ${visibilityRule}: ${crashRule}`);
    }
  } else if (retryBase !== undefined && !retryMaxWithinVisibility(retryBase, effectiveVisibility)) {
    problem(['messaging', 'retry_base_delay_seconds'], retryBase, `retry base delay must be <= ${visibilityRule}, which caps the default retry max delay: ${crashRule}`);
  }
}

function retryBelowBase(retryMax: number, retryBase: number, problem: Problem): void {
  problem(['messaging', 'retry_max_delay_seconds'], retryMax, `retry max delay must be >= messaging.retry_base_delay_seconds (${retryBase})`);
}

function checkRetention(root: Record<string, unknown>, problem: Problem): void {
  const messaging = rec(root.messaging);
  const queueRetention = num(messaging.queue_retention_seconds);
  const dlqRetention = num(messaging.dlq_retention_seconds);
  if (queueRetention !== undefined && dlqRetention !== undefined && !dlqOutlivesQueue(dlqRetention, queueRetention)) {
    problem(
      ['messaging', 'dlq_retention_seconds'],
      dlqRetention,
      `DLQ retention must be greater than queue_retention_seconds (${queueRetention}): a moved message keeps its original enqueue time (AWS)`,
    );
  }
  const retention = rec(root.retention);
  const transition = num(retention.archive_transition_days);
  const expiration = num(retention.archive_expiration_days);
  if (transition !== undefined && expiration !== undefined && expiration <= transition) {
    problem(['retention', 'archive_expiration_days'], expiration, `archive expiration must be greater than archive_transition_days (${transition})`);
  }
  const maxAge = num(rec(root.alarms).dlq_max_age_seconds);
  if (maxAge !== undefined && dlqRetention !== undefined && maxAge >= dlqRetention) {
    problem(['alarms', 'dlq_max_age_seconds'], maxAge, `DLQ age alarm must fire before messages expire: must be less than messaging.dlq_retention_seconds (${dlqRetention})`);
  }
}

const visibilityOf = (f: Parsed) => f.messaging.visibility_timeout_seconds ?? minimumVisibilityTimeout(f.lambda.timeout_seconds);

function toSettings(f: Parsed): EnvironmentSettings {
  return {
    region: f.region,
    allowedAccountIds: f.allowed_account_ids,
    namePrefix: f.name_prefix,
    tags: f.tags,
    backend: { bucket: f.backend.bucket, key: f.backend.key, region: f.backend.region ?? f.region },
    topics: f.topics.map((t) => ({
      name: t.name,
      batchSize: t.batch_size,
      batchingWindowSeconds: t.batching_window_seconds,
      maximumConcurrency: t.maximum_concurrency,
      expectedFields: t.expected_fields,
    })),
    lambda: { memoryMb: f.lambda.memory_mb, timeoutSeconds: f.lambda.timeout_seconds },
    messaging: {
      maxReceiveCount: f.messaging.max_receive_count,
      visibilityTimeoutSeconds: visibilityOf(f),
      queueRetentionSeconds: f.messaging.queue_retention_seconds,
      dlqRetentionSeconds: f.messaging.dlq_retention_seconds,
      retryBaseDelaySeconds: f.messaging.retry_base_delay_seconds,
      // Omitted: the default, but never beyond the visibility timeout (a short local timeout keeps it short).
      retryMaxDelaySeconds: f.messaging.retry_max_delay_seconds ?? Math.min(D.messaging.retryMaxDelaySeconds, visibilityOf(f)),
    },
    firehose: {
      bufferSizeMb: f.firehose.buffer_size_mb,
      bufferIntervalSeconds: f.firehose.buffer_interval_seconds,
      retryDurationSeconds: f.firehose.retry_duration_seconds,
    },
    retention: {
      logDays: f.retention.log_days,
      archiveTransitionDays: f.retention.archive_transition_days,
      archiveExpirationDays: f.retention.archive_expiration_days,
      noncurrentVersionDays: f.retention.noncurrent_version_days,
    },
    alarms: {
      errorRatePercent: f.alarms.error_rate_percent,
      errorRateMinErrors: f.alarms.error_rate_min_errors,
      dlqDepth: f.alarms.dlq_depth,
      dlqMaxAgeSeconds: f.alarms.dlq_max_age_seconds,
      waterBalanceGap: f.alarms.water_balance_gap,
      alertEmails: f.alarms.alert_emails,
      processorErrors: f.alarms.processor_errors,
      processorThrottles: f.alarms.processor_throttles,
      firehoseThrottledRecords: f.alarms.firehose_throttled_records,
    },
    tableMaintenance: {
      compaction: f.table_maintenance.compaction,
      snapshotRetention: f.table_maintenance.snapshot_retention,
      snapshotRetentionDays: f.table_maintenance.snapshot_retention_days,
      snapshotsToRetain: f.table_maintenance.snapshots_to_retain,
      orphanFileDeletion: f.table_maintenance.orphan_file_deletion,
      orphanFileRetentionDays: f.table_maintenance.orphan_file_retention_days,
    },
    breaker: { cooldownSeconds: f.breaker.cooldown_seconds },
  };
}

/** The file's shape as written (snake_case, defaults optional). */
export type EnvironmentFile = z.input<typeof fileObject>;
