import { parseEnvironment } from './load';

const FILE = 'environments/dev.tfvars';

/** A minimal valid file (as hcl2json returns it); each test breaks one rule. */
function validFile(): Record<string, any> {
  return {
    region: 'eu-west-1',
    allowed_account_ids: ['111111111111'],
    name_prefix: 'lean-ops-dev',
    backend: { bucket: 'lean-ops-tfstate-111111111111', key: 'lean-ops/dev.tfstate' },
    topics: [
      { name: 'orders', batch_size: 10, expected_fields: ['order_id'] },
      { name: 'payments', batch_size: 10, batching_window_seconds: 0, expected_fields: ['payment_id'] },
    ],
  };
}

function problems(mutate: (f: Record<string, any>) => void, file = FILE): string[] {
  const f = validFile();
  mutate(f);
  const result = parseEnvironment(file, f);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}

describe('parseEnvironment: defaults', () => {
  it('fills every optional key from the defaults and derives the visibility timeout', () => {
    const result = parseEnvironment(FILE, validFile());
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const c = result.config;
    expect(c.environment).toBe('dev');
    expect(c.backend.region).toBe('eu-west-1');
    expect(c.topics[0]).toEqual({ name: 'orders', batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 5, expectedFields: ['order_id'] });
    expect(c.lambda).toEqual({ memoryMb: 512, timeoutSeconds: 60 });
    expect(c.messaging).toEqual({
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 360,
      queueRetentionSeconds: 345600,
      dlqRetentionSeconds: 1209600,
      retryBaseDelaySeconds: 10,
      retryMaxDelaySeconds: 300,
    });
    expect(c.alarms.errorRatePercent).toBe(50);
    expect(c.alarms.errorRateMinErrors).toBe(10);
    expect(c.breaker.cooldownSeconds).toBe(300);
    expect(c.tags).toEqual({});
    expect(c.alarms).toMatchObject({ dlqDepth: 1, processorErrors: 1, processorThrottles: 1, firehoseThrottledRecords: 1 });
    // The Glue API's own defaults when a value is omitted.
    expect(c.tableMaintenance).toEqual({
      compaction: true,
      snapshotRetention: true,
      snapshotRetentionDays: 5,
      snapshotsToRetain: 1,
      orphanFileDeletion: true,
      orphanFileRetentionDays: 3,
    });
  });

  it('reads table maintenance settings', () => {
    const f = validFile();
    f.table_maintenance = { compaction: false, snapshot_retention_days: 7, snapshots_to_retain: 10, orphan_file_retention_days: 14 };
    const result = parseEnvironment(FILE, f);
    expect(result.ok && result.config.tableMaintenance).toEqual({
      compaction: false,
      snapshotRetention: true,
      snapshotRetentionDays: 7,
      snapshotsToRetain: 10,
      orphanFileDeletion: true,
      orphanFileRetentionDays: 14,
    });
  });

  it('derives the visibility timeout from an explicit function timeout', () => {
    const f = validFile();
    f.lambda = { timeout_seconds: 120 };
    const result = parseEnvironment(FILE, f);
    expect(result.ok && result.config.messaging.visibilityTimeoutSeconds).toBe(720);
  });

  it('caps the default retry max delay at the visibility timeout (short local timeouts keep retries short)', () => {
    const f = validFile();
    f.lambda = { timeout_seconds: 5 };
    const result = parseEnvironment(FILE, f);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.messaging).toMatchObject({ visibilityTimeoutSeconds: 30, retryBaseDelaySeconds: 10, retryMaxDelaySeconds: 30 });
  });

  it('takes explicit retry delays, a zero base included', () => {
    const f = validFile();
    f.messaging = { retry_base_delay_seconds: 0, retry_max_delay_seconds: 0 };
    const result = parseEnvironment(FILE, f);
    expect(result.ok && result.config.messaging).toMatchObject({ retryBaseDelaySeconds: 0, retryMaxDelaySeconds: 0 });
  });

  it('accepts ten topics, the most one DLQ can serve', () => {
    const f = validFile();
    f.topics = Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, expected_fields: ['id'] }));
    expect(parseEnvironment(FILE, f).ok).toBe(true);
  });

  it('accepts the shortest breaker cooldown the schema allows (5 s)', () => {
    const f = validFile();
    f.breaker = { cooldown_seconds: 5 };
    expect(parseEnvironment(FILE, f).ok).toBe(true);
  });
});

// One row per rule: [rule, change to a valid file, the exact problem lines].
const RULES: Array<[string, (f: Record<string, any>) => void, string[]]> = [
  [
    'unknown top-level key',
    (f) => (f.colour = 'blue'),
    [`${FILE}: colour: "blue": unknown key; allowed keys: region, allowed_account_ids, name_prefix, tags, backend, topics, lambda, messaging, firehose, retention, alarms, table_maintenance, breaker`],
  ],
  ['misspelt key (suggestion)', (f) => (f.lambda = { timeout_second: 30 }), [`${FILE}: lambda.timeout_second: 30: unknown key; did you mean "timeout_seconds"?`]],
  [
    'misspelt key inside a topic',
    (f) => {
      f.topics[0].batchsize = 50;
      delete f.topics[0].batch_size;
    },
    [`${FILE}: topics[0].batchsize: 50: unknown key; did you mean "batch_size"?`],
  ],
  ['required key missing', (f) => delete f.region, [`${FILE}: region: (missing): required key is missing`]],
  ['required topic key missing', (f) => delete f.topics[1].expected_fields, [`${FILE}: topics[1].expected_fields: (missing): required key is missing`]],
  ['wrong type', (f) => (f.lambda = { timeout_seconds: '60' }), [`${FILE}: lambda.timeout_seconds: "60": timeout must be an integer in 1..900 seconds (AWS)`]],
  [
    'block instead of an object',
    (f) => (f.backend = [{ bucket: 'b', key: 'k.tfstate' }]),
    [`${FILE}: backend: [{"bucket":"b","key":"k.tfstate"}]: must be an object: write \`key = { ... }\` (blocks are not allowed in an environment file)`],
  ],
  [
    'references are not values',
    (f) => (f.name_prefix = '${var.prefix}'),
    [`${FILE}: name_prefix: "\${var.prefix}": must be a literal value; references and templates (\${...}) are not allowed in an environment file`],
  ],
  ['region pattern', (f) => (f.region = 'europe'), [`${FILE}: region: "europe": region must look like an AWS region (e.g. eu-west-1)`]],
  ['account id is 12 digits', (f) => (f.allowed_account_ids = ['12345']), [`${FILE}: allowed_account_ids[0]: "12345": AWS account id must be 12 digits`]],
  ['at least one account id', (f) => (f.allowed_account_ids = []), [`${FILE}: allowed_account_ids: []: at least one account id is required (the provider refuses every other account)`]],
  ['duplicate account id', (f) => (f.allowed_account_ids = ['111111111111', '111111111111']), [`${FILE}: allowed_account_ids[1]: "111111111111": duplicate account id (also allowed_account_ids[0])`]],
  ['name prefix pattern', (f) => (f.name_prefix = 'Lean_Ops'), [`${FILE}: name_prefix: "Lean_Ops": name prefix must match /^[a-z][a-z0-9-]{1,23}$/ (S3 bucket and Glue naming rules)`]],
  ['tag values are strings', (f) => (f.tags = { owner: 5 }), [`${FILE}: tags.owner: 5: must be a string`]],
  ['reserved tag keys', (f) => (f.tags = { 'aws:owner': 'x' }), [`${FILE}: tags["aws:owner"]: "aws:owner": tag keys starting with "aws:" are reserved by AWS`]],
  ['backend bucket name', (f) => (f.backend.bucket = 'My_Bucket'), [`${FILE}: backend.bucket: "My_Bucket": backend bucket must be a valid S3 bucket name (3..63 lower-case letters, digits, . and -)`]],
  ['backend key', (f) => (f.backend.key = '/state/dev'), [`${FILE}: backend.key: "/state/dev": backend key must be a relative path ending in .tfstate`]],
  ['at least one topic', (f) => (f.topics = []), [`${FILE}: topics: []: at least one topic is required`]],
  [
    'at most 10 topics (one DLQ redrive-allow policy)',
    (f) => (f.topics = Array.from({ length: 11 }, (_, i) => ({ name: `t${i}`, expected_fields: ['id'] }))),
    [
      `${FILE}: topics: ${JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ name: `t${i}`, expected_fields: ['id'] }))).slice(0, 119)}…: at most 10 topics per environment: the DLQ's redrive-allow policy accepts at most 10 source queues (AWS)`,
    ],
  ],
  ['topic name pattern', (f) => (f.topics[0].name = 'Orders'), [`${FILE}: topics[0].name: "Orders": topic name must match /^[a-z][a-z0-9_-]{0,39}$/ (it becomes part of queue, alarm and S3 names)`]],
  ['duplicate topic name', (f) => (f.topics[1].name = 'orders'), [`${FILE}: topics[1].name: "orders": duplicate topic name (also topics[0])`]],
  ['batch size too small', (f) => (f.topics[0].batch_size = 0), [`${FILE}: topics[0].batch_size: 0: batch size must be an integer in 1..10000 (AWS)`]],
  [
    'batch size too large',
    (f) => Object.assign(f.topics[0], { batch_size: 10001, batching_window_seconds: 1 }),
    [`${FILE}: topics[0].batch_size: 10001: batch size must be an integer in 1..10000 (AWS)`],
  ],
  ['batch size is an integer (one line, not one per check)', (f) => (f.topics[0].batch_size = 0.5), [`${FILE}: topics[0].batch_size: 0.5: batch size must be an integer in 1..10000 (AWS)`]],
  ['batch size > 10 requires a batching window', (f) => (f.topics[1].batch_size = 50), [`${FILE}: topics[1].batch_size: 50: batch size > 10 requires batching_window_seconds > 0 (AWS)`]],
  ['batching window range', (f) => (f.topics[0].batching_window_seconds = 301), [`${FILE}: topics[0].batching_window_seconds: 301: batching window must be an integer in 0..300 seconds (AWS)`]],
  ['maximum concurrency at least 2', (f) => (f.topics[0].maximum_concurrency = 1), [`${FILE}: topics[0].maximum_concurrency: 1: maximum concurrency must be an integer in 2..1000 (AWS)`]],
  ['maximum concurrency at most 1000', (f) => (f.topics[0].maximum_concurrency = 1001), [`${FILE}: topics[0].maximum_concurrency: 1001: maximum concurrency must be an integer in 2..1000 (AWS)`]],
  ['duplicate expected field', (f) => (f.topics[0].expected_fields = ['id', 'amount', 'id']), [`${FILE}: topics[0].expected_fields[2]: "id": duplicate expected field (also expected_fields[0])`]],
  ['empty expected field', (f) => (f.topics[0].expected_fields = ['']), [`${FILE}: topics[0].expected_fields[0]: "": expected field names must not be empty`]],
  ['lambda memory range', (f) => (f.lambda = { memory_mb: 64 }), [`${FILE}: lambda.memory_mb: 64: memory must be an integer in 128..10240 MB (AWS)`]],
  [
    'visibility timeout >= 6 x function timeout',
    (f) => {
      f.lambda = { timeout_seconds: 60 };
      f.messaging = { visibility_timeout_seconds: 300 };
    },
    [`${FILE}: messaging.visibility_timeout_seconds: 300: visibility timeout must be >= 6 x lambda.timeout_seconds (6 x 60 = 360) (AWS)`],
  ],
  [
    'visibility timeout at most 12 hours',
    (f) => (f.messaging = { visibility_timeout_seconds: 43201 }),
    [`${FILE}: messaging.visibility_timeout_seconds: 43201: visibility timeout must be an integer in 0..43200 seconds (AWS)`],
  ],
  ['retry base delay range', (f) => (f.messaging = { retry_base_delay_seconds: 901 }), [`${FILE}: messaging.retry_base_delay_seconds: 901: retry base delay must be an integer in 0..900 seconds`]],
  [
    'retry max delay >= retry base delay',
    (f) => (f.messaging = { retry_base_delay_seconds: 20, retry_max_delay_seconds: 10 }),
    [`${FILE}: messaging.retry_max_delay_seconds: 10: retry max delay must be >= messaging.retry_base_delay_seconds (20)`],
  ],
  [
    'retry max delay <= explicit visibility timeout',
    (f) => (f.messaging = { visibility_timeout_seconds: 400, retry_max_delay_seconds: 401 }),
    [`${FILE}: messaging.retry_max_delay_seconds: 401: retry max delay must be <= the topic queues' visibility timeout (400 s): a retried record must not wait longer than a crashed one`],
  ],
  [
    'retry max delay <= derived visibility timeout',
    (f) => {
      f.lambda = { timeout_seconds: 5 };
      f.messaging = { retry_max_delay_seconds: 31 };
    },
    [
      `${FILE}: messaging.retry_max_delay_seconds: 31: retry max delay must be <= the topic queues' visibility timeout (30 s, 6 x lambda.timeout_seconds): a retried record must not wait longer than a crashed one`,
    ],
  ],
  [
    'retry base delay <= visibility timeout when the max delay is left out',
    (f) => {
      f.lambda = { timeout_seconds: 1 };
      f.messaging = { retry_base_delay_seconds: 7 };
    },
    [
      `${FILE}: messaging.retry_base_delay_seconds: 7: retry base delay must be <= the topic queues' visibility timeout (6 s, 6 x lambda.timeout_seconds), which caps the default retry max delay: a retried record must not wait longer than a crashed one`,
    ],
  ],
  ['max receive count', (f) => (f.messaging = { max_receive_count: 0 }), [`${FILE}: messaging.max_receive_count: 0: max receive count must be an integer in 1..1000 (AWS)`]],
  [
    'queue retention range',
    (f) => (f.messaging = { queue_retention_seconds: 30 }),
    [`${FILE}: messaging.queue_retention_seconds: 30: queue retention must be an integer in 60..1209600 seconds (AWS)`],
  ],
  [
    'DLQ retention longer than the queue retention',
    (f) => {
      f.messaging = { queue_retention_seconds: 345600, dlq_retention_seconds: 345600 };
      f.alarms = { dlq_max_age_seconds: 86400 };
    },
    [`${FILE}: messaging.dlq_retention_seconds: 345600: DLQ retention must be greater than queue_retention_seconds (345600): a moved message keeps its original enqueue time (AWS)`],
  ],
  [
    'DLQ retention at most 14 days (default DLQ retention checked too)',
    (f) => (f.messaging = { queue_retention_seconds: 1209600 }),
    [`${FILE}: messaging.dlq_retention_seconds: 1209600: DLQ retention must be greater than queue_retention_seconds (1209600): a moved message keeps its original enqueue time (AWS)`],
  ],
  [
    'DLQ retention at most 14 days',
    (f) => (f.messaging = { dlq_retention_seconds: 1209601 }),
    [`${FILE}: messaging.dlq_retention_seconds: 1209601: DLQ retention must be an integer in 60..1209600 seconds (14 days, the SQS maximum)`],
  ],
  ['firehose buffer size', (f) => (f.firehose = { buffer_size_mb: 129 }), [`${FILE}: firehose.buffer_size_mb: 129: buffer size must be an integer in 1..128 MB (AWS)`]],
  ['firehose buffer interval', (f) => (f.firehose = { buffer_interval_seconds: 901 }), [`${FILE}: firehose.buffer_interval_seconds: 901: buffer interval must be an integer in 0..900 seconds (AWS)`]],
  ['firehose retry duration', (f) => (f.firehose = { retry_duration_seconds: 7201 }), [`${FILE}: firehose.retry_duration_seconds: 7201: retry duration must be an integer in 0..7200 seconds (AWS)`]],
  [
    'log retention is a CloudWatch value',
    (f) => (f.retention = { log_days: 10 }),
    [`${FILE}: retention.log_days: 10: log retention must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days (CloudWatch Logs)`],
  ],
  [
    'archive expiration after transition',
    (f) => (f.retention = { archive_transition_days: 30, archive_expiration_days: 30 }),
    [`${FILE}: retention.archive_expiration_days: 30: archive expiration must be greater than archive_transition_days (30)`],
  ],
  ['noncurrent version days', (f) => (f.retention = { noncurrent_version_days: 0 }), [`${FILE}: retention.noncurrent_version_days: 0: noncurrent version expiry must be an integer in 1..36500 days`]],
  ['error rate percentage', (f) => (f.alarms = { error_rate_percent: 101 }), [`${FILE}: alarms.error_rate_percent: 101: error rate threshold must be an integer percentage in 1..100`]],
  [
    'minimum error count',
    (f) => (f.alarms = { error_rate_min_errors: 0 }),
    [`${FILE}: alarms.error_rate_min_errors: 0: minimum errors must be an integer in 1..1000000 (so that 1 failure of 1 record does not trip the breaker)`],
  ],
  ['DLQ depth threshold', (f) => (f.alarms = { dlq_depth: 0 }), [`${FILE}: alarms.dlq_depth: 0: DLQ depth threshold must be an integer in 1..1000000`]],
  [
    'DLQ age alarm before DLQ expiry',
    (f) => {
      f.messaging = { dlq_retention_seconds: 604800 };
      f.alarms = { dlq_max_age_seconds: 604800 };
    },
    [`${FILE}: alarms.dlq_max_age_seconds: 604800: DLQ age alarm must fire before messages expire: must be less than messaging.dlq_retention_seconds (604800)`],
  ],
  ['water-balance gap', (f) => (f.alarms = { water_balance_gap: -1 }), [`${FILE}: alarms.water_balance_gap: -1: water-balance gap threshold must be an integer >= 0`]],
  ['alert e-mail', (f) => (f.alarms = { alert_emails: ['oncall'] }), [`${FILE}: alarms.alert_emails[0]: "oncall": must be an e-mail address`]],
  ['processor errors threshold', (f) => (f.alarms = { processor_errors: 0 }), [`${FILE}: alarms.processor_errors: 0: processor errors threshold must be an integer in 1..1000000`]],
  [
    'snapshot retention days',
    (f) => (f.table_maintenance = { snapshot_retention_days: 0 }),
    [`${FILE}: table_maintenance.snapshot_retention_days: 0: snapshot retention must be an integer in 1..36500 days`],
  ],
  ['table maintenance switch', (f) => (f.table_maintenance = { compaction: 'yes' }), [`${FILE}: table_maintenance.compaction: "yes": must be true or false`]],
  ['breaker cooldown minimum', (f) => (f.breaker = { cooldown_seconds: 4 }), [`${FILE}: breaker.cooldown_seconds: 4: breaker cooldown must be an integer in 5..86400 seconds`]],
];

describe('parseEnvironment: one message per broken rule', () => {
  it.each(RULES)('%s', (_rule, mutate, expected) => {
    expect(problems(mutate)).toEqual(expected);
  });

  it('names the environment after the file and refuses a bad file name', () => {
    expect(problems(() => undefined, 'environments/Dev Env.tfvars')).toEqual([
      'environments/Dev Env.tfvars: (file name): "Dev Env": environment name must match /^[a-z][a-z0-9-]{0,29}$/ (it names the stack)',
    ]);
  });

  it('reports every problem of a file at once, type errors and rules between keys alike', () => {
    expect(
      problems((f) => {
        f.topics[1].batch_size = 50;
        f.lambda = { timeout_seconds: 60, memory: 512 };
        f.messaging = { visibility_timeout_seconds: 60 };
        f.region = 1;
      }),
    ).toEqual([
      `${FILE}: region: 1: must be a string`,
      `${FILE}: lambda.memory: 512: unknown key; did you mean "memory_mb"?`,
      `${FILE}: topics[1].batch_size: 50: batch size > 10 requires batching_window_seconds > 0 (AWS)`,
      `${FILE}: messaging.visibility_timeout_seconds: 60: visibility timeout must be >= 6 x lambda.timeout_seconds (6 x 60 = 360) (AWS)`,
    ]);
  });
});
