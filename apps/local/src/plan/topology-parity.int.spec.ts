import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '@lean-ops/pipeline/src/app';
import { pipelinePaths } from '@lean-ops/pipeline/src/tools/paths';
import { alarmFromSpec, MetricStore } from '../cloudwatch';
import { buildTopology } from './build-topology';
import { EMULATED_TYPES, NOT_EMULATED } from './emulated-types';
import { stackPlanOf } from './stack-plan-of';
import { readStackJson, resourcesOf, type TerraformJson, type TerraformResource } from './terraform-json';

const paths = pipelinePaths();
const environments = fs
  .readdirSync(paths.environmentsDir)
  .filter((f) => f.endsWith('.tfvars'))
  .map((f) => f.replace(/\.tfvars$/, ''));
const ENDPOINT = 'http://127.0.0.1:4566';
let outdir: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-parity-'));
  await synthesize({ outdir, environmentsDir: paths.environmentsDir, bundleRoot: paths.bundleRoot });
}, 120_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const stackOf = (env: string) => {
  const stackDir = path.join(outdir, 'stacks', env);
  const json = readStackJson(path.join(stackDir, 'cdk.tf.json'));
  return { json, stackDir, resources: resourcesOf(json), topology: buildTopology(json, { stackDir, endpoint: ENDPOINT }) };
};
const ofType = (rs: TerraformResource[], type: string) => rs.filter((r) => r.type === type);
const literal = (v: unknown) => typeof v !== 'string' || !v.includes('${');
const noReferencesLeft = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/\$\{aws_/);

describe.each(environments)('the local topology of %s is the synthesized plan', (env) => {
  let s: ReturnType<typeof stackOf>;
  beforeAll(() => (s = stackOf(env)));

  it('holds only resource types the local stack runs or knowingly skips', () => {
    for (const r of s.resources) expect(EMULATED_TYPES.has(r.type) || r.type in NOT_EMULATED).toBe(true);
  });

  it('creates every queue with the attributes the plan gives it, policies included', () => {
    const queues = ofType(s.resources, 'aws_sqs_queue');
    expect(s.topology.queues.map((q) => q.address).sort()).toEqual(queues.map((q) => q.address).sort());
    for (const r of queues) {
      const q = s.topology.queues.find((x) => x.address === r.address)!;
      expect(q.name).toBe(r.args.name);
      expect(q.attributes.VisibilityTimeout).toBe(String(r.args.visibility_timeout_seconds));
      expect(q.attributes.MessageRetentionPeriod).toBe(String(r.args.message_retention_seconds));
      noReferencesLeft(q.attributes);
    }
    // A policy held as its own resource lands on the queue its queue_url references, with the same receive count.
    for (const type of ['aws_sqs_queue_redrive_policy', 'aws_sqs_queue_redrive_allow_policy']) {
      for (const r of ofType(s.resources, type)) {
        const address = /^\$\{(aws_sqs_queue\.[^.]+)\.url\}$/.exec(String(r.args.queue_url))![1];
        const q = s.topology.queues.find((x) => x.address === address)!;
        const declared = JSON.parse(String(r.args.redrive_policy ?? r.args.redrive_allow_policy).replace(/\$\{[^}]+\}/g, 'ref')) as Record<string, unknown>;
        const local = JSON.parse(q.attributes[type.endsWith('allow_policy') ? 'RedriveAllowPolicy' : 'RedrivePolicy']!) as Record<string, unknown>;
        expect(Object.keys(local).sort()).toEqual(Object.keys(declared).sort());
        if ('maxReceiveCount' in declared) expect(local.maxReceiveCount).toBe(declared.maxReceiveCount);
        if ('sourceQueueArns' in declared) expect((local.sourceQueueArns as string[]).length).toBe((declared.sourceQueueArns as string[]).length);
      }
    }
  });

  it('runs every function with its runtime, handler, sizes and exactly the synthesized environment', () => {
    const fns = ofType(s.resources, 'aws_lambda_function');
    expect(s.topology.functions).toHaveLength(fns.length);
    for (const r of fns) {
      const f = s.topology.functions.find((x) => x.address === r.address)!;
      expect([f.name, f.runtime, f.handler, f.memoryMb, f.timeoutSeconds]).toEqual([r.args.function_name, r.args.runtime, r.args.handler, r.args.memory_size, r.args.timeout]);
      const declared = ((r.args.environment as { variables?: Record<string, string> }).variables ?? {}) as Record<string, string>;
      expect(Object.keys(f.env).sort()).toEqual(Object.keys(declared).sort());
      for (const [k, v] of Object.entries(declared)) if (literal(v)) expect(f.env[k]).toBe(v);
      noReferencesLeft(f.env);
      expect(fs.existsSync(f.packageZip)).toBe(true);
    }
  });

  it('maps queues to functions with the synthesized batch size, window, scaling and response types', () => {
    const esms = ofType(s.resources, 'aws_lambda_event_source_mapping');
    expect(s.topology.mappings).toHaveLength(esms.length);
    for (const r of esms) {
      const m = s.topology.mappings.find((x) => x.address === r.address)!;
      expect(m.batchSize).toBe(r.args.batch_size);
      expect(m.maximumBatchingWindowInSeconds).toBe(r.args.maximum_batching_window_in_seconds ?? 0);
      expect(m.maximumConcurrency).toBe((r.args.scaling_config as { maximum_concurrency?: number } | undefined)?.maximum_concurrency);
      expect(m.functionResponseTypes).toEqual(r.args.function_response_types ?? []);
    }
  });

  it('gives the stream, the tables, the buckets, topics and schedules their synthesized settings', () => {
    const [stream] = ofType(s.resources, 'aws_kinesis_firehose_delivery_stream');
    const ice = stream!.args.iceberg_configuration as Record<string, unknown>;
    expect(s.topology.streams[0]).toMatchObject({ name: stream!.args.name, bufferSizeMb: ice.buffering_size, bufferIntervalSeconds: ice.buffering_interval, retryDurationSeconds: ice.retry_duration });
    expect(s.topology.streams[0]!.errorOutputPrefix).toBe((ice.s3_configuration as Record<string, unknown>).error_output_prefix);
    for (const r of ofType(s.resources, 'aws_dynamodb_table')) {
      const t = s.topology.tables.find((x) => x.name === r.args.name)!;
      expect([t.hashKey, t.rangeKey, t.attributes]).toEqual([r.args.hash_key, r.args.range_key, r.args.attribute]);
    }
    expect(s.topology.buckets.map((b) => b.name).sort()).toEqual(
      ofType(s.resources, 'aws_s3_bucket')
        .map((r) => r.args.bucket)
        .sort(),
    );
    expect(s.topology.topics.map((t) => t.name).sort()).toEqual(
      ofType(s.resources, 'aws_sns_topic')
        .map((r) => r.args.name)
        .sort(),
    );
    expect(s.topology.schedules).toHaveLength(ofType(s.resources, 'aws_cloudwatch_event_target').length);
    expect(s.topology.glue.databases.map((d) => d.name)).toEqual(ofType(s.resources, 'aws_glue_catalog_database').map((r) => r.args.name));
    for (const r of ofType(s.resources, 'aws_glue_catalog_table')) {
      const t = s.topology.glue.tables.find((x) => x.name === r.args.name)!;
      const sd = r.args.storage_descriptor as { columns: Array<{ name: string; type: string }>; location: string };
      expect(t.columns.map((c) => [c.name, c.type])).toEqual(sd.columns.map((c) => [c.name, c.type]));
      expect(t.location).toMatch(/^s3:\/\/[a-z0-9-]+\/warehouse\/[a-z0-9_]+\/raw_events\/$/);
      expect(t.iceberg).toEqual({ version: '2' });
      noReferencesLeft(t);
    }
    expect(() => stackPlanOf(s.topology)).not.toThrow();
  });
});

describe('a plan the local stack cannot run', () => {
  it('stops with a message naming the resource', () => {
    const { json } = stackOf('local');
    const broken: TerraformJson = { ...json, resource: { ...json.resource, aws_opensearch_domain: { search: { domain_name: 'x' } } } };
    expect(() => buildTopology(broken, { stackDir: outdir, endpoint: ENDPOINT })).toThrow(/cannot run these resources of the plan: aws_opensearch_domain\.search/);
  });

  it('stops when the Glue table does not declare the columns the Firehose writes', () => {
    const { json } = stackOf('local');
    const tables = JSON.parse(JSON.stringify(json.resource!.aws_glue_catalog_table)) as Record<string, { storage_descriptor: { columns: Array<{ name: string; type: string }> } }>;
    const t = Object.values(tables)[0]!;
    t.storage_descriptor.columns.find((c) => c.name === 'receive_count')!.type = 'bigint';
    expect(() => buildTopology({ ...json, resource: { ...json.resource, aws_glue_catalog_table: tables } }, { stackDir: outdir, endpoint: ENDPOINT })).toThrow(
      /Glue columns \[.*receive_count bigint.*\] differ from what the local Firehose writes/,
    );
  });

  it('stops on a reference to a resource the plan does not hold', () => {
    const { json } = stackOf('local');
    const queues = { ...json.resource!.aws_sqs_queue! };
    const [first] = Object.keys(queues);
    queues[first!] = { ...queues[first!], kms_master_key_id: '${aws_kms_key.gone.arn}' };
    expect(() => buildTopology({ ...json, resource: { ...json.resource, aws_sqs_queue: queues } }, { stackDir: outdir, endpoint: ENDPOINT })).toThrow(
      /aws_kms_key\.gone\.arn.* names a resource the stack does not hold/,
    );
  });
});

describe.each(environments)('the alarms of %s run on the local CloudWatch as synthesized', (env) => {
  it('builds every alarm of the plan, with its thresholds, periods and actions', () => {
    const { resources, topology } = stackOf(env);
    const declared = ofType(resources, 'aws_cloudwatch_metric_alarm');
    expect(topology.alarms.map((a) => a.address).sort()).toEqual(declared.map((r) => r.address).sort());
    const store = new MetricStore();
    for (const r of declared) {
      const spec = topology.alarms.find((a) => a.address === r.address)!;
      expect([spec.name, spec.threshold, spec.comparison, spec.evaluationPeriods]).toEqual([r.args.alarm_name, r.args.threshold, r.args.comparison_operator, r.args.evaluation_periods]);
      expect(spec.alarmActions).toHaveLength((r.args.alarm_actions as unknown[]).length);
      noReferencesLeft(spec);
      expect(() => alarmFromSpec(spec, { store, periodSeconds: 5 })).not.toThrow();
    }
  });
});

describe('alarm behaviour from the synthesized local stack', () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  const build = (pick: (name: string) => boolean) => {
    const { topology } = stackOf('local');
    const spec = topology.alarms.find((a) => pick(a.name))!;
    const store = new MetricStore();
    return { spec, store, alarm: alarmFromSpec(spec, { store, periodSeconds: 5 }) };
  };
  const put = (store: MetricStore, namespace: string, name: string, dimensions: Record<string, string>, value: number, at = now - 1000) =>
    store.put({ namespace, name, dimensions, value, timestamp: at });

  it('opens the breaker alarm when more than the threshold of first receives failed, with at least the minimum errors', async () => {
    const { store, alarm } = build((n) => n.endsWith('-error-rate-orders'));
    put(store, 'LeanOps', 'FirstAttemptRecords', { Topic: 'orders' }, 10);
    put(store, 'LeanOps', 'FirstAttemptFailed', { Topic: 'orders' }, 4);
    expect((await alarm.evaluate(now)).ev.state).toBe('OK');
    put(store, 'LeanOps', 'FirstAttemptFailed', { Topic: 'orders' }, 4);
    const { ev, reason } = await alarm.evaluate(now);
    expect(ev.state).toBe('ALARM');
    expect(ev.values).toEqual([80]);
    expect(reason).toMatch(/greater than the threshold \(50\.0\)/);
  });

  it('raises the water-balance alarm on any topic gap above the threshold (Metrics Insights MAX over topics)', async () => {
    const { store, alarm } = build((n) => n.endsWith('-water-balance-gap'));
    expect((await alarm.evaluate(now)).ev.state).toBe('OK');
    put(store, 'LeanOps', 'WaterBalanceGap', { Topic: 'orders' }, 0);
    put(store, 'LeanOps', 'WaterBalanceGap', { Topic: 'payments' }, 3);
    expect((await alarm.evaluate(now)).ev).toMatchObject({ state: 'ALARM', values: [3] });
  });

  it('watches the DLQ depth on the AWS/SQS metric of the DLQ', async () => {
    const { spec, store, alarm } = build((n) => n.endsWith('-dlq-depth'));
    put(store, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', spec.metric!.dimensions, spec.threshold + 1);
    expect((await alarm.evaluate(now)).ev.state).toBe('ALARM');
  });
});
