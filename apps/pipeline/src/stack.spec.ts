import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import type { EnvironmentConfig } from '@lean-ops/config';
import { ENV, FUNCTION_KINDS, names } from '@lean-ops/contracts';
import { securityFindings } from '@lean-ops/modules';
import { LeanOpsStack } from './stack';
import assert from 'node:assert/strict';

type Attrs = Record<string, any>;

const config: EnvironmentConfig = {
  environment: 'sample',
  sourceFile: '/environments/sample.tfvars',
  region: 'eu-west-1',
  allowedAccountIds: ['111111111111', '222222222222'],
  namePrefix: 'lo-sample',
  tags: { project: 'lean-ops', environment: 'sample' },
  backend: { bucket: 'state-bucket', key: 'lean-ops/sample.tfstate', region: 'eu-central-1' },
  topics: [
    { name: 'orders', batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 5, expectedFields: ['order_id'] },
    { name: 'payments', batchSize: 10, batchingWindowSeconds: 0, maximumConcurrency: 2, expectedFields: ['payment_id'] },
    { name: 'clickstream', batchSize: 50, batchingWindowSeconds: 5, maximumConcurrency: 10, expectedFields: [] },
  ],
  lambda: { memoryMb: 512, timeoutSeconds: 60 },
  messaging: {
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 360,
    queueRetentionSeconds: 345600,
    dlqRetentionSeconds: 1209600,
    retryBaseDelaySeconds: 10,
    retryMaxDelaySeconds: 300,
  },
  firehose: { bufferSizeMb: 64, bufferIntervalSeconds: 60, retryDurationSeconds: 300 },
  retention: { logDays: 30, archiveTransitionDays: 30, archiveExpirationDays: 365, noncurrentVersionDays: 30 },
  alarms: {
    errorRatePercent: 50,
    errorRateMinErrors: 10,
    dlqDepth: 1,
    dlqMaxAgeSeconds: 604800,
    waterBalanceGap: 0,
    alertEmails: ['ops@example.com'],
    processorErrors: 1,
    processorThrottles: 1,
    firehoseThrottledRecords: 1,
  },
  breaker: { cooldownSeconds: 300 },
  tableMaintenance: {
    compaction: true,
    snapshotRetention: true,
    snapshotRetentionDays: 5,
    snapshotsToRetain: 1,
    orphanFileDeletion: true,
    orphanFileRetentionDays: 3,
  },
};

function bundleRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'lean-ops-stack-bundles-'));
  for (const kind of FUNCTION_KINDS) {
    mkdirSync(join(root, kind));
    writeFileSync(join(root, kind, 'index.js'), 'exports.handler = async () => ({});\n');
  }
  return root;
}

describe('LeanOpsStack', () => {
  const root = bundleRoot();
  const stack = new LeanOpsStack(Testing.app(), config.environment, { config, bundleRoot: root });
  const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Attrs>>; terraform: Attrs; provider: Attrs; output: Attrs; data?: unknown };
  const all = (type: string) => Object.entries(tf.resource[type] ?? {});
  const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
  const idOf = (type: string, pred: (a: Attrs) => boolean) => all(type).find(([, a]) => pred(a))![0];

  it('configures the provider from the environment file, with no data source calling AWS', () => {
    expect(tf.provider.aws[0]).toMatchObject({
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111', '222222222222'],
      default_tags: [{ tags: { project: 'lean-ops', environment: 'sample' } }],
    });
    expect(tf.data).toBeUndefined();
  });

  it('keeps state in S3 with an S3 lock file and encryption', () => {
    expect(tf.terraform.backend.s3).toEqual({ bucket: 'state-bucket', key: 'lean-ops/sample.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true });
  });

  it('has 0 security findings', () => {
    expect(securityFindings(stack)).toEqual([]);
  });

  it('maps every topic queue to the processor and the DLQ to the DLQ processor', () => {
    const processor = idOf('aws_lambda_function', (f) => f.function_name === names.fn('lo-sample', 'sqs-processor'));
    const dlqProcessor = idOf('aws_lambda_function', (f) => f.function_name === names.fn('lo-sample', 'dlq-processor'));
    const mappings = all('aws_lambda_event_source_mapping').map(([, m]) => m);
    const toProcessor = mappings.filter((m) => m.function_name === ref('aws_lambda_function', processor, 'arn'));
    expect(toProcessor).toHaveLength(config.topics.length);
    for (const t of config.topics) {
      const queue = idOf('aws_sqs_queue', (q) => q.name === names.topicQueue('lo-sample', t.name));
      const m = toProcessor.find((x) => x.event_source_arn === ref('aws_sqs_queue', queue, 'arn'))!;
      expect(m).toMatchObject({ batch_size: t.batchSize, maximum_batching_window_in_seconds: t.batchingWindowSeconds, scaling_config: { maximum_concurrency: t.maximumConcurrency } });
    }
    const dlq = idOf('aws_sqs_queue', (q) => q.name === names.dlq('lo-sample'));
    expect(mappings.filter((m) => m.function_name === ref('aws_lambda_function', dlqProcessor, 'arn')).map((m) => m.event_source_arn)).toEqual([ref('aws_sqs_queue', dlq, 'arn')]);
  });

  it('scopes the processor policy to the delivery stream, queues and tables by reference, and orders the mappings after it', () => {
    const [policyId, policy] = all('aws_iam_role_policy').find(([, p]) => p.name === 'processor')!;
    const doc = JSON.parse(policy.policy);
    const sid = (s: string) => doc.Statement.find((x: Attrs) => x.Sid === s);
    const stream = idOf('aws_kinesis_firehose_delivery_stream', () => true);
    expect(sid('DeliverToFirehose').Resource).toEqual([ref('aws_kinesis_firehose_delivery_stream', stream, 'arn')]);
    expect(sid('ConsumeTopicQueues').Resource).toHaveLength(3);
    const errors = idOf('aws_dynamodb_table', (t) => t.name === names.table('lo-sample', 'errors'));
    expect(sid('CheckpointsAndErrors').Resource).toContain(ref('aws_dynamodb_table', errors, 'arn'));
    for (const [, m] of all('aws_lambda_event_source_mapping')) expect(m.depends_on).toContain(`aws_iam_role_policy.${policyId}`);
  });

  it('scopes the breaker to the topic mappings it toggles', () => {
    const [, policy] = all('aws_iam_role_policy').find(([, p]) => p.name === 'circuit-breaker')!;
    const toggle = JSON.parse(policy.policy).Statement.find((x: Attrs) => x.Sid === 'ToggleMappings');
    expect(toggle.Resource).toHaveLength(3);
    expect(toggle.Resource.every((r: string) => /^\$\{aws_lambda_event_source_mapping\.\S+\.arn\}$/.test(r))).toBe(true);
  });

  it('wires Firehose to the Glue table, the archive bucket and its role, after the role policy', () => {
    const [firehose] = all('aws_kinesis_firehose_delivery_stream');
    assert(firehose);
    const [, stream] = firehose;
    const table = idOf('aws_glue_catalog_table', () => true);
    const archive = idOf('aws_s3_bucket', (b) => b.bucket === names.bucket('lo-sample', 'archive', '111111111111'));
    const role = idOf('aws_iam_role', (r) => r.name === names.fnRole('lo-sample', 'firehose'));
    expect(stream.iceberg_configuration).toMatchObject({
      catalog_arn: 'arn:aws:glue:eu-west-1:111111111111:catalog',
      role_arn: ref('aws_iam_role', role, 'arn'),
      destination_table_configuration: [{ table_name: ref('aws_glue_catalog_table', table, 'name') }],
    });
    expect(stream.iceberg_configuration.s3_configuration.bucket_arn).toBe(ref('aws_s3_bucket', archive, 'arn'));
    expect(stream.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });

  it('gives the handlers their resources through handlerEnv', () => {
    const [, processor] = all('aws_lambda_function').find(([, f]) => f.function_name === names.fn('lo-sample', 'sqs-processor'))!;
    const stream = idOf('aws_kinesis_firehose_delivery_stream', () => true);
    expect(processor.environment.variables[ENV.deliveryStream]).toBe(ref('aws_kinesis_firehose_delivery_stream', stream, 'name'));
    expect(JSON.parse(processor.environment.variables[ENV.topics]).map((t: Attrs) => t.topic)).toEqual(['orders', 'payments', 'clickstream']);
  });

  it('passes each queue URL attribute and the retry pacing to the processors, and grants them ChangeMessageVisibility', () => {
    const fn = (kind: 'sqs-processor' | 'dlq-processor') => all('aws_lambda_function').find(([, f]) => f.function_name === names.fn('lo-sample', kind))![1];
    const vars = fn('sqs-processor').environment.variables;
    const orders = idOf('aws_sqs_queue', (q) => q.name === names.topicQueue('lo-sample', 'orders'));
    expect(JSON.parse(vars[ENV.topics])[0].queueUrl).toBe(ref('aws_sqs_queue', orders, 'url'));
    expect([vars[ENV.retryBaseDelaySeconds], vars[ENV.retryMaxDelaySeconds]]).toEqual(['10', '300']);
    const dlq = idOf('aws_sqs_queue', (q) => q.name === names.dlq('lo-sample'));
    expect(fn('dlq-processor').environment.variables[ENV.dlqUrl]).toBe(ref('aws_sqs_queue', dlq, 'url'));
    const pace = (policyName: string) => JSON.parse(all('aws_iam_role_policy').find(([, p]) => p.name === policyName)![1].policy).Statement.find((x: Attrs) => x.Sid === 'PaceRetries');
    expect(pace('processor').Action).toEqual(['sqs:ChangeMessageVisibility']);
    expect(pace('processor').Resource).toHaveLength(3);
    expect(pace('dlq-processor').Resource).toEqual([ref('aws_sqs_queue', dlq, 'arn')]);
  });

  it("sizes the DLQ's visibility for the DLQ processor, apart from the topic queues'", () => {
    const queues = all('aws_sqs_queue').map(([, q]) => q);
    expect(queues.find((q) => q.name === names.dlq('lo-sample'))!.visibility_timeout_seconds).toBe(180);
    expect(queues.filter((q) => q.name !== names.dlq('lo-sample')).every((q) => q.visibility_timeout_seconds === 360)).toBe(true);
    const short = new LeanOpsStack(Testing.app(), 'short', {
      config: { ...config, lambda: { memoryMb: 256, timeoutSeconds: 5 }, messaging: { ...config.messaging, visibilityTimeoutSeconds: 30, retryBaseDelaySeconds: 1, retryMaxDelaySeconds: 5 } },
      bundleRoot: root,
    });
    expect([short.messaging.visibilityTimeoutSeconds, short.messaging.dlqVisibilityTimeoutSeconds]).toEqual([30, 180]);
  });

  it('alerts through the topic the breaker is subscribed to', () => {
    const topic = idOf('aws_sns_topic', () => true);
    const breaker = idOf('aws_lambda_function', (f) => f.function_name === names.fn('lo-sample', 'circuit-breaker'));
    const sub = all('aws_sns_topic_subscription')
      .map(([, s]) => s)
      .find((s) => s.protocol === 'lambda')!;
    expect(sub).toMatchObject({ topic_arn: ref('aws_sns_topic', topic, 'arn'), endpoint: ref('aws_lambda_function', breaker, 'arn') });
    const alarms = all('aws_cloudwatch_metric_alarm').map(([, a]) => a);
    expect(alarms).toHaveLength(config.topics.length + 7);
    expect(alarms.every((a) => a.alarm_actions[0] === ref('aws_sns_topic', topic, 'arn'))).toBe(true);
  });

  it('exports queue URLs, the DLQ URL, the stream and table names', () => {
    expect(Object.keys(tf.output).sort()).toEqual(['alert_topic_arn', 'delivery_stream_name', 'dlq_url', 'queue_urls', 'raw_table', 'table_names']);
    expect(Object.keys(tf.output.queue_urls.value).sort()).toEqual(['clickstream', 'orders', 'payments']);
  });

  it('reports its resource count', () => {
    const count = Object.values(tf.resource).reduce((n, byId) => n + Object.keys(byId).length, 0);
    // 3 topics: fixed resources + per-topic queue, redrive, mapping, alarm.
    expect(count).toBe(BASE_RESOURCES + 4 * config.topics.length);
  });

  it('refuses a config the modules cannot build, naming the prop', () => {
    const bad = { ...config, messaging: { ...config.messaging, visibilityTimeoutSeconds: 100 } };
    expect(() => new LeanOpsStack(Testing.app(), 'bad', { config: bad, bundleRoot: root })).toThrow(/MessagingModule: visibilityTimeoutSeconds = 100 is invalid/);
  });

  it('synthesizes with cdktf into stacks/<env>/cdk.tf.json with the zipped bundles', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lean-ops-synth-'));
    const app = new App({ outdir, stackTraces: false });
    new LeanOpsStack(app, 'sample', { config, bundleRoot: root });
    app.synth();
    const file = join(outdir, 'stacks', 'sample', 'cdk.tf.json');
    const out = JSON.parse(readFileSync(file, 'utf8'));
    const objects = Object.values(out.resource.aws_s3_object as Record<string, Attrs>);
    expect(objects).toHaveLength(FUNCTION_KINDS.length);
    for (const o of objects) {
      const zip = readFileSync(join(outdir, 'stacks', 'sample', o.source));
      expect(createHash('md5').update(zip).digest('hex')).toBe(o.source_hash);
    }
  });
});

/**
 * Resources independent of the topic count: security 14 (key, alias, 6 roles, 6 policies), storage 21 (3 buckets x 7),
 * catalog 5 (database, table, 3 optimizers), state 3, messaging 2, ingestion 4, observability 10 (1 e-mail), compute 21.
 */
const BASE_RESOURCES = 80;
