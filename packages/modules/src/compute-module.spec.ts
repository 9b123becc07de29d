import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ENV, FUNCTION_KINDS, S3_PREFIXES, handlerEnv, names, type FunctionKind, DEFAULT_HANDLER_TUNING } from '@lean-ops/contracts';
import { ComputeModule, LAMBDA_HANDLER, LAMBDA_RUNTIME, type ComputeModuleProps, type ComputeTopic } from './compute-module';
import { zipDirectory } from './deterministic-zip';
import { KEY_ARN, PREFIX, all, fakeBundleRoot, one, synth, resources } from '../test/support';

const bundleRoot = fakeBundleRoot();
const topic = (name: string, over: Partial<ComputeTopic> = {}): ComputeTopic => ({
  topic: name,
  queueArn: `arn:aws:sqs:eu-west-1:123456789012:${PREFIX}-${name}`,
  queueName: `${PREFIX}-${name}`,
  queueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${PREFIX}-${name}`,
  batchSize: 10,
  batchingWindowSeconds: 0,
  maximumConcurrency: 5,
  expectedFields: ['id'],
  errorRateAlarmName: names.errorRateAlarm(PREFIX, name),
  ...over,
});

const props: ComputeModuleProps = {
  namePrefix: PREFIX,
  bundleRoot,
  artifactsBucketName: 'artifacts-bucket',
  roleArns: Object.fromEntries(FUNCTION_KINDS.map((k) => [k, `arn:aws:iam::123456789012:role/${k}`])) as Record<FunctionKind, string>,
  kmsKeyArn: KEY_ARN,
  logRetentionDays: 14,
  processor: { memoryMb: 512, timeoutSeconds: 30 },
  topics: [topic('orders'), topic('payments', { batchSize: 100, batchingWindowSeconds: 5, maximumConcurrency: 10 })],
  queueVisibilityTimeoutSeconds: 180,
  dlq: { arn: 'arn:aws:sqs:eu-west-1:123456789012:lo-test-dlq', url: 'https://sqs/dlq', visibilityTimeoutSeconds: 180 },
  alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:lo-test-alerts',
  env: {
    deliveryStream: 'lo-test-raw',
    archiveBucket: 'archive-bucket',
    checkpointsTable: 'lo-test-checkpoints',
    locksTable: 'lo-test-locks',
    errorsTable: 'lo-test-errors',
    ...DEFAULT_HANDLER_TUNING,
    waterBalanceWindowMinutes: 5,
    retryMaxDelaySeconds: 120,
  },
};

const fnByKind = (s: ReturnType<typeof synth>, kind: FunctionKind) => {
  const [id, attrs] = Object.entries(resources(s, 'aws_lambda_function')).find(([, f]) => f.function_name === names.fn(PREFIX, kind))!;
  return { id, attrs, arn: `\${aws_lambda_function.${id}.arn}`, name: `\${aws_lambda_function.${id}.function_name}` };
};

describe('ComputeModule', () => {
  const s = synth((stack) => new ComputeModule(stack, 'compute', props));

  it.each(FUNCTION_KINDS)('deploys %s from its bundle in the artifacts bucket, on nodejs22.x', (kind) => {
    const { attrs } = fnByKind(s, kind);
    expect(attrs).toMatchObject({ runtime: LAMBDA_RUNTIME, handler: LAMBDA_HANDLER, role: props.roleArns[kind], s3_bucket: 'artifacts-bucket' });
    // The zip's hashes are literal values of the configuration, computed from its bytes at synth.
    const zip = zipDirectory(join(bundleRoot, kind));
    expect(attrs.source_code_hash).toBe(createHash('sha256').update(zip).digest('base64'));
    const object = all(s, 'aws_s3_object').find((o) => attrs.s3_key === `\${aws_s3_object.${Object.keys(resources(s, 'aws_s3_object')).find((k) => resources(s, 'aws_s3_object')[k] === o)}.key}`)!;
    expect(object.key).toBe(`${S3_PREFIXES.lambdaArtifacts}${kind}/${createHash('sha256').update(zip).digest('hex')}.zip`);
    expect(object.source_hash).toBe(createHash('md5').update(zip).digest('hex'));
    expect(object.source).toMatch(new RegExp(`^assets/.+/${kind}\\.zip$`));
  });

  it('sizes the processor from props and the others with small fixed values', () => {
    expect(fnByKind(s, 'sqs-processor').attrs).toMatchObject({ memory_size: 512, timeout: 30 });
    expect(fnByKind(s, 'dlq-processor').attrs).toMatchObject({ memory_size: 256, timeout: 30 });
    expect(fnByKind(s, 'water-balance').attrs).toMatchObject({ memory_size: 256, timeout: 60 });
  });

  it('writes logs to explicit, KMS-encrypted log groups with retention', () => {
    const groups = all(s, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name).sort()).toEqual(FUNCTION_KINDS.map((k) => names.logGroup(names.fn(PREFIX, k))).sort());
    expect(groups.every((g) => g.retention_in_days === 14 && g.kms_key_id === KEY_ARN)).toBe(true);
    expect(fnByKind(s, 'sqs-processor').attrs.logging_config.log_group).toMatch(/aws_cloudwatch_log_group\.\S+\.name/);
  });

  it('sets each function environment from handlerEnv in contracts', () => {
    const processor = fnByKind(s, 'sqs-processor');
    const vars = processor.attrs.environment.variables;
    expect(Object.keys(vars).sort()).toEqual(Object.keys(handlerEnv('sqs-processor', {} as never)).sort());
    const topics = JSON.parse(vars[ENV.topics]);
    expect(topics[1]).toEqual({
      topic: 'payments',
      queueName: `${PREFIX}-payments`,
      queueArn: props.topics[1]?.queueArn,
      queueUrl: props.topics[1]?.queueUrl,
      expectedFields: ['id'],
      errorRateAlarm: names.errorRateAlarm(PREFIX, 'payments'),
      maximumConcurrency: 10,
    });
    const breaker = fnByKind(s, 'circuit-breaker').attrs.environment.variables;
    expect(breaker[ENV.processorFunctionName]).toBe(processor.name);
    expect(breaker[ENV.alertTopicArn]).toBe(props.alertTopicArn);
    expect(fnByKind(s, 'water-balance').attrs.environment.variables[ENV.dlqUrl]).toBe('https://sqs/dlq');
    expect(breaker[ENV.deliveryStream]).toBeUndefined();
  });

  it('gives both processors the retry pacing, and the DLQ processor the DLQ URL', () => {
    const processor = fnByKind(s, 'sqs-processor').attrs.environment.variables;
    const dlqProcessor = fnByKind(s, 'dlq-processor').attrs.environment.variables;
    for (const vars of [processor, dlqProcessor]) {
      expect(vars[ENV.retryBaseDelaySeconds]).toBe('10');
      expect(vars[ENV.retryMaxDelaySeconds]).toBe('120');
    }
    expect(dlqProcessor[ENV.dlqUrl]).toBe('https://sqs/dlq');
    expect(processor[ENV.dlqUrl]).toBeUndefined();
  });

  it('maps each topic queue to the processor with partial batch responses, batching and max concurrency', () => {
    const processor = fnByKind(s, 'sqs-processor');
    const mappings = all(s, 'aws_lambda_event_source_mapping').filter((m) => m.function_name === processor.arn);
    expect(mappings).toHaveLength(2);
    const payments = mappings.find((m) => m.event_source_arn === props.topics[1]?.queueArn)!;
    expect(payments).toMatchObject({
      batch_size: 100,
      maximum_batching_window_in_seconds: 5,
      scaling_config: { maximum_concurrency: 10 },
      function_response_types: ['ReportBatchItemFailures'],
    });
    // The breaker owns enabled and scaling_config at run time; a deploy must not undo it.
    for (const m of mappings) expect(m.lifecycle).toEqual({ ignore_changes: ['enabled', 'scaling_config'] });
  });

  it('synthesizes the same configuration after the bundles are rewritten with the same bytes', () => {
    const before = JSON.stringify(synth((stack) => new ComputeModule(stack, 'compute', props)));
    for (const kind of FUNCTION_KINDS) {
      const file = join(bundleRoot, kind, 'index.js');
      writeFileSync(file, readFileSync(file));
      utimesSync(file, new Date('2031-01-01'), new Date('2031-01-01'));
    }
    expect(JSON.stringify(synth((stack) => new ComputeModule(stack, 'compute', props)))).toBe(before);
  });

  it('maps the DLQ to the DLQ processor, also with partial batch responses', () => {
    const dlq = one({ resource: { m: Object.fromEntries(Object.entries(resources(s, 'aws_lambda_event_source_mapping')).filter(([, m]) => m.event_source_arn === props.dlq.arn)) } } as never, 'm');
    expect(dlq.function_name).toBe(fnByKind(s, 'dlq-processor').arn);
    expect(dlq.function_response_types).toEqual(['ReportBatchItemFailures']);
  });

  it('runs the breaker and the water-balance monitor every minute, with invoke permissions', () => {
    const rules = all(s, 'aws_cloudwatch_event_rule');
    expect(rules.map((r) => r.name).sort()).toEqual([names.schedule(PREFIX, 'circuit-breaker'), names.schedule(PREFIX, 'water-balance')].sort());
    expect(rules.every((r) => r.schedule_expression === 'rate(1 minute)')).toBe(true);
    const targets = all(s, 'aws_cloudwatch_event_target').map((t) => t.arn);
    expect(targets.sort()).toEqual([fnByKind(s, 'circuit-breaker').arn, fnByKind(s, 'water-balance').arn].sort());
    const perms = all(s, 'aws_lambda_permission');
    expect(perms.filter((p) => p.principal === 'events.amazonaws.com')).toHaveLength(2);
  });

  it('subscribes the breaker to the alert topic and lets SNS invoke it', () => {
    const sub = one(s, 'aws_sns_topic_subscription');
    expect(sub).toMatchObject({ topic_arn: props.alertTopicArn, protocol: 'lambda', endpoint: fnByKind(s, 'circuit-breaker').arn });
    const perm = all(s, 'aws_lambda_permission').find((p) => p.principal === 'sns.amazonaws.com')!;
    expect(perm).toMatchObject({ function_name: fnByKind(s, 'circuit-breaker').name, source_arn: props.alertTopicArn });
  });

  it('creates the mappings after the role policies it waits for', () => {
    const t = synth((stack) => {
      const compute = new ComputeModule(stack, 'compute', props);
      compute.mappingsWaitFor(new IamRolePolicy(stack, 'processor-policy', { role: 'r', policy: '{}' }));
    });
    expect(all(t, 'aws_lambda_event_source_mapping').every((m) => m.depends_on[0] === 'aws_iam_role_policy.processor-policy')).toBe(true);
  });

  describe('refuses', () => {
    const build = (over: Partial<ComputeModuleProps>) => () => synth((stack) => new ComputeModule(stack, 'c', { ...props, ...over }));
    it('a batch size above 10 without a batching window', () => {
      expect(build({ topics: [topic('orders', { batchSize: 50, batchingWindowSeconds: 0 })] })).toThrow(
        'ComputeModule: topics[orders].batchingWindowSeconds = 0 is invalid: AWS requires a batching window of at least 1 s when batchSize (50) is above 10. Fix: set batchingWindowSeconds to 1..300 or batchSize to 10 or less',
      );
    });
    it('ESM limits: batch size, window, maximum concurrency', () => {
      expect(build({ topics: [topic('orders', { batchSize: 20000, batchingWindowSeconds: 1 })] })).toThrow(/topics\[orders\]\.batchSize = 20000 is invalid: must be an integer from 1 to 10000/);
      expect(build({ topics: [topic('orders', { batchingWindowSeconds: 301 })] })).toThrow(/batchingWindowSeconds = 301 is invalid: must be an integer from 0 to 300/);
      expect(build({ topics: [topic('orders', { maximumConcurrency: 1 })] })).toThrow(/topics\[orders\]\.maximumConcurrency = 1 is invalid: must be an integer from 2 to 1000/);
    });
    it('a processor timeout the queue visibility cannot cover (6x rule)', () => {
      expect(build({ processor: { memoryMb: 512, timeoutSeconds: 60 } })).toThrow(
        "ComputeModule: processor.timeoutSeconds = 60 is invalid: the topic queues' visibility timeout (180 s) must be at least 6 x the processor timeout. Fix: lower processor.timeoutSeconds to 30 or raise the queues' visibility timeout",
      );
      expect(build({ dlq: { ...props.dlq, visibilityTimeoutSeconds: 100 } })).toThrow(/dlq.visibilityTimeoutSeconds = 100 is invalid: must be at least 6 x the DLQ processor timeout \(6 x 30 = 180\)/);
    });
    it('a retry delay above the visibility timeout or below its base', () => {
      expect(build({ env: { ...props.env, retryMaxDelaySeconds: 181 } })).toThrow(
        "ComputeModule: env.retryMaxDelaySeconds = 181 is invalid: must be an integer from retryBaseDelaySeconds (10) to the topic queues' visibility timeout (180 s). Fix: set retryMaxDelaySeconds to 180",
      );
      expect(build({ env: { ...props.env, retryBaseDelaySeconds: 20, retryMaxDelaySeconds: 10 } })).toThrow(/env.retryMaxDelaySeconds = 10 is invalid: .*Fix: set retryMaxDelaySeconds to 20/);
      expect(build({ env: { ...props.env, retryBaseDelaySeconds: 901 } })).toThrow(/env.retryBaseDelaySeconds = 901 is invalid: must be an integer from 0 to 900/);
    });
    it('a missing handler bundle', () => {
      expect(build({ bundleRoot: '/nonexistent' })).toThrow(
        'ComputeModule: bundleRoot = "/nonexistent" is invalid: the sqs-processor bundle /nonexistent/sqs-processor/index.js does not exist. Fix: build the handlers first (npx nx run handlers:build)',
      );
    });
    it('memory, log retention and schedule out of range', () => {
      expect(build({ processor: { memoryMb: 512, timeoutSeconds: 0 } })).toThrow(/processor.timeoutSeconds = 0 is invalid: must be an integer from 1 to 900/);
      expect(build({ topics: [] })).toThrow(/topics = \[\] is invalid: at least one topic is needed/);
      expect(build({ processor: { memoryMb: 64, timeoutSeconds: 30 } })).toThrow(/processor.memoryMb = 64 is invalid: must be an integer from 128 to 10240/);
      expect(build({ logRetentionDays: 2 })).toThrow(/logRetentionDays = 2 is invalid: CloudWatch Logs accepts only/);
      expect(build({ scheduleExpression: 'every minute' })).toThrow(/scheduleExpression = "every minute" is invalid/);
    });
  });
});
