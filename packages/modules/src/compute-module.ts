import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, dependable, type ITerraformDependable } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import {
  FUNCTION_KINDS,
  LIMITS,
  NAME_PREFIX_PATTERN,
  LAMBDA_RUNTIME,
  S3_PREFIXES,
  SUPPORT_FUNCTION_SIZES,
  handlerEnv,
  names,
  retryMaxAtLeastBase,
  retryMaxWithinVisibility,
  visibilityCoversFunction,
  type FunctionKind,
  type FunctionSize,
  type HandlerEnvValues,
  type TopicRuntimeConfig,
} from '@lean-ops/contracts';
import { lambdaArtifact } from './lambda-artifact';
import { requireIntInRange, requireLogRetention, requireProp } from './validation';

const CONSTRUCT = 'ComputeModule';

export const LAMBDA_HANDLER = 'index.handler';

// Defined in contracts (MessagingModule derives the DLQ's visibility from them; the local stack runs the runtime);
// re-exported for existing users.
export { LAMBDA_RUNTIME, SUPPORT_FUNCTION_SIZES, type FunctionSize };

export interface ComputeTopic {
  topic: string;
  queueArn: string;
  queueName: string;
  /** The queue's URL attribute (MessagingModule.queueFor(topic).url); the processor paces retries through it. */
  queueUrl: string;
  /** ESM batch size (1..10,000); above 10 AWS requires a batching window. */
  batchSize: number;
  /** ESM maximum batching window (0..300 s). */
  batchingWindowSeconds: number;
  /** ESM scaling_config.maximum_concurrency (2..1000). */
  maximumConcurrency: number;
  expectedFields: string[];
  /** Name of the topic's error-rate alarm (the breaker maps alarm -> topic). */
  errorRateAlarmName: string;
}

/** Handler environment values other than those ComputeModule knows itself (prefix, topics, processor name). */
export type ComputeEnvValues = Omit<HandlerEnvValues, 'namePrefix' | 'topics' | 'processorFunctionName' | 'alertTopicArn' | 'dlqUrl'>;

export interface ComputeModuleProps {
  namePrefix: string;
  /** Directory holding one bundle per handler: `<bundleRoot>/<kind>/index.js`. */
  bundleRoot: string;
  /** Bucket the zipped bundles are uploaded to (StorageModule.artifacts.name). */
  artifactsBucketName: string;
  /** Execution role per function (SecurityModule.roles[kind].arn). */
  roleArns: Readonly<Record<FunctionKind, string>>;
  kmsKeyArn: string;
  logRetentionDays: number;
  processor: FunctionSize;
  topics: readonly ComputeTopic[];
  /** Visibility timeout of the topic queues (MessagingModule.visibilityTimeoutSeconds). */
  queueVisibilityTimeoutSeconds: number;
  dlq: { arn: string; url: string; visibilityTimeoutSeconds: number };
  /** The alert topic the breaker subscribes to (ObservabilityModule.alertTopicArn). */
  alertTopicArn: string;
  env: ComputeEnvValues;
  /** Schedule of the breaker and the water-balance monitor. Default `rate(1 minute)`. */
  scheduleExpression?: string;
}

export interface TopicMapping {
  readonly topic: string;
  readonly mapping: LambdaEventSourceMapping;
  readonly arn: string;
  readonly uuid: string;
}

/**
 * The four Lambda functions (code from the handler bundles, uploaded to the artifacts bucket), their log
 * groups, the SQS event source mappings, the schedules and the breaker's subscription to the alert topic.
 */
export class ComputeModule extends Construct {
  readonly functions: Readonly<Record<FunctionKind, LambdaFunction>>;
  readonly logGroups: Readonly<Record<FunctionKind, CloudwatchLogGroup>>;
  readonly topicMappings: readonly TopicMapping[];
  readonly dlqMapping: LambdaEventSourceMapping;
  readonly schedules: Readonly<Record<'circuit-breaker' | 'water-balance', CloudwatchEventRule>>;
  readonly breakerSubscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: ComputeModuleProps) {
    super(scope, id);
    const p = resolveComputeProps(props);
    const { functions, logGroups } = this.createFunctions(p);
    this.functions = functions;
    this.logGroups = logGroups;
    const mappings = this.createMappings(p, functions);
    this.topicMappings = mappings.topics;
    this.dlqMapping = mappings.dlq;
    this.schedules = this.createSchedules(p, functions);
    this.breakerSubscription = this.subscribeBreaker(p, functions);
  }

  /** Each handler: its bundle in the artifacts bucket, its encrypted log group first, the function with its environment. */
  private createFunctions(p: ResolvedComputeProps) {
    const prefix = p.namePrefix;
    const topics: TopicRuntimeConfig[] = p.topics.map((t) => ({
      topic: t.topic,
      queueName: t.queueName,
      queueArn: t.queueArn,
      queueUrl: t.queueUrl,
      expectedFields: t.expectedFields,
      errorRateAlarm: t.errorRateAlarmName,
      maximumConcurrency: t.maximumConcurrency,
    }));
    const envValues = (processorFunctionName: string): HandlerEnvValues => ({
      ...p.env,
      namePrefix: prefix,
      topics,
      alertTopicArn: p.alertTopicArn,
      dlqUrl: p.dlq.url,
      processorFunctionName,
    });

    const functions = {} as Record<FunctionKind, LambdaFunction>;
    const logGroups = {} as Record<FunctionKind, CloudwatchLogGroup>;
    for (const kind of FUNCTION_KINDS) {
      const size = kind === 'sqs-processor' ? p.processor : SUPPORT_FUNCTION_SIZES[kind];
      const functionName = names.fn(prefix, kind);
      // A deterministic zip (no file times) with its hashes in the configuration: the same bundle plans no change.
      const artifact = lambdaArtifact(join(p.bundleRoot, kind), `${kind}.zip`);
      const asset = new TerraformAsset(this, `bundle-${kind}`, { path: artifact.path, type: AssetType.FILE, assetHash: artifact.sha256Hex });
      const object = new S3Object(this, `artifact-${kind}`, {
        bucket: p.artifactsBucketName,
        key: `${S3_PREFIXES.lambdaArtifacts}${kind}/${artifact.sha256Hex}.zip`,
        source: asset.path,
        // SSE-KMS objects have no MD5 ETag: source_hash is what detects a changed bundle.
        sourceHash: artifact.md5Hex,
      });
      // Created before the function so Lambda does not create an unencrypted group without retention.
      logGroups[kind] = new CloudwatchLogGroup(this, `log-group-${kind}`, {
        name: names.logGroup(functionName),
        retentionInDays: p.logRetentionDays,
        kmsKeyId: p.kmsKeyArn,
      });
      functions[kind] = new LambdaFunction(this, `function-${kind}`, {
        functionName,
        role: p.roleArns[kind],
        runtime: LAMBDA_RUNTIME,
        handler: LAMBDA_HANDLER,
        memorySize: size.memoryMb,
        timeout: size.timeoutSeconds,
        s3Bucket: p.artifactsBucketName,
        s3Key: object.key,
        sourceCodeHash: artifact.sha256Base64,
        // FUNCTION_KINDS lists the processor first, so the others can reference its name.
        environment: { variables: handlerEnv(kind, envValues(functions['sqs-processor']?.functionName ?? functionName)) },
        loggingConfig: { logFormat: 'Text', logGroup: logGroups[kind].name },
      });
    }
    return { functions, logGroups };
  }

  /** The processor's mapping on every topic queue, the DLQ processor's on the DLQ. */
  private createMappings(p: ResolvedComputeProps, functions: Record<FunctionKind, LambdaFunction>) {
    const topics = p.topics.map((t) => {
      const mapping = new LambdaEventSourceMapping(this, `esm-${t.topic}`, {
        eventSourceArn: t.queueArn,
        functionName: functions['sqs-processor'].arn,
        batchSize: t.batchSize,
        maximumBatchingWindowInSeconds: t.batchingWindowSeconds,
        scalingConfig: { maximumConcurrency: t.maximumConcurrency },
        // Without this a single failed record returns the whole batch to the queue.
        functionResponseTypes: ['ReportBatchItemFailures'],
        // The circuit breaker owns these at run time (disable, probe at the lowest concurrency, restore): a deploy
        // must not re-enable an OPEN topic or lift a probe to full concurrency. Change concurrency with
        // `npm run concurrency`, which respects the breaker's state.
        lifecycle: { ignoreChanges: ['enabled', 'scaling_config'] },
      });
      return { topic: t.topic, mapping, arn: mapping.arn, uuid: mapping.uuid };
    });

    const dlq = new LambdaEventSourceMapping(this, 'esm-dlq', {
      eventSourceArn: p.dlq.arn,
      functionName: functions['dlq-processor'].arn,
      batchSize: LIMITS.sqsMaxReceiveMessages,
      scalingConfig: { maximumConcurrency: LIMITS.esmMinMaximumConcurrency },
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    return { topics, dlq };
  }

  /** The breaker's and the water balance's schedules, each allowed to invoke its function. */
  private createSchedules(p: ResolvedComputeProps, functions: Record<FunctionKind, LambdaFunction>) {
    const prefix = p.namePrefix;
    const schedules = {} as Record<'circuit-breaker' | 'water-balance', CloudwatchEventRule>;
    for (const kind of ['circuit-breaker', 'water-balance'] as const) {
      const rule = new CloudwatchEventRule(this, `schedule-${kind}`, {
        name: names.schedule(prefix, kind),
        scheduleExpression: p.scheduleExpression,
      });
      new CloudwatchEventTarget(this, `schedule-target-${kind}`, { rule: rule.name, arn: functions[kind].arn });
      new LambdaPermission(this, `schedule-permission-${kind}`, {
        statementId: 'AllowSchedule',
        action: 'lambda:InvokeFunction',
        functionName: functions[kind].functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
      schedules[kind] = rule;
    }
    return schedules;
  }

  /** The breaker hears the alert topic: a subscription, and the permission SNS invokes it with. */
  private subscribeBreaker(p: ResolvedComputeProps, functions: Record<FunctionKind, LambdaFunction>): SnsTopicSubscription {
    const subscription = new SnsTopicSubscription(this, 'breaker-subscription', {
      topicArn: p.alertTopicArn,
      protocol: 'lambda',
      endpoint: functions['circuit-breaker'].arn,
    });
    new LambdaPermission(this, 'breaker-alert-permission', {
      statementId: 'AllowAlertTopic',
      action: 'lambda:InvokeFunction',
      functionName: functions['circuit-breaker'].functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: p.alertTopicArn,
    });
    return subscription;
  }

  functionArn(kind: FunctionKind): string {
    return this.functions[kind].arn;
  }

  logGroupArn(kind: FunctionKind): string {
    return this.logGroups[kind].arn;
  }

  get topicMappingArns(): string[] {
    return this.topicMappings.map((m) => m.arn);
  }

  /**
   * Create the event source mappings only after these exist. Lambda checks at CreateEventSourceMapping that the
   * function's role may receive from the queue, so the role policies (granted once the log groups exist) go first.
   */
  mappingsWaitFor(...dependencies: ITerraformDependable[]): void {
    for (const m of [...this.topicMappings.map((t) => t.mapping), this.dlqMapping]) {
      m.dependsOn = [...(m.dependsOn ?? []), ...dependencies.map((d) => dependable(d))];
    }
  }
}

type ResolvedComputeProps = ComputeModuleProps & { scheduleExpression: string };

function resolveComputeProps(p: ComputeModuleProps): ResolvedComputeProps {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  for (const kind of FUNCTION_KINDS) {
    const entry = join(p.bundleRoot, kind, 'index.js');
    requireProp(existsSync(entry), CONSTRUCT, 'bundleRoot', p.bundleRoot, `the ${kind} bundle ${entry} does not exist`, 'build the handlers first (npx nx run handlers:build)');
  }
  requireLogRetention(CONSTRUCT, 'logRetentionDays', p.logRetentionDays, LIMITS.logRetentionDays);
  requireIntInRange(CONSTRUCT, 'processor.memoryMb', p.processor.memoryMb, LIMITS.lambdaMinMemoryMb, LIMITS.lambdaMaxMemoryMb);
  requireIntInRange(CONSTRUCT, 'processor.timeoutSeconds', p.processor.timeoutSeconds, 1, LIMITS.lambdaMaxTimeoutSeconds);

  // AWS: the queue's visibility timeout must be at least 6x the timeout of the function it triggers.
  const f = LIMITS.visibilityTimeoutFactor;
  requireProp(
    visibilityCoversFunction(p.queueVisibilityTimeoutSeconds, p.processor.timeoutSeconds),
    CONSTRUCT,
    'processor.timeoutSeconds',
    p.processor.timeoutSeconds,
    `the topic queues' visibility timeout (${p.queueVisibilityTimeoutSeconds} s) must be at least ${f} x the processor timeout`,
    `lower processor.timeoutSeconds to ${Math.floor(p.queueVisibilityTimeoutSeconds / f)} or raise the queues' visibility timeout`,
  );
  const dlqTimeout = SUPPORT_FUNCTION_SIZES['dlq-processor'].timeoutSeconds;
  requireProp(
    visibilityCoversFunction(p.dlq.visibilityTimeoutSeconds, dlqTimeout),
    CONSTRUCT,
    'dlq.visibilityTimeoutSeconds',
    p.dlq.visibilityTimeoutSeconds,
    `must be at least ${f} x the DLQ processor timeout (${f} x ${dlqTimeout} = ${f * dlqTimeout})`,
    `set the DLQ visibility timeout to ${f * dlqTimeout} or more`,
  );

  // Retry pacing shortens a failed record's wait; above the visibility timeout it would lengthen it.
  requireIntInRange(CONSTRUCT, 'env.retryBaseDelaySeconds', p.env.retryBaseDelaySeconds, 0, LIMITS.sqsMaxDelaySeconds);
  requireProp(
    Number.isInteger(p.env.retryMaxDelaySeconds) &&
      retryMaxAtLeastBase(p.env.retryMaxDelaySeconds, p.env.retryBaseDelaySeconds) &&
      retryMaxWithinVisibility(p.env.retryMaxDelaySeconds, p.queueVisibilityTimeoutSeconds),
    CONSTRUCT,
    'env.retryMaxDelaySeconds',
    p.env.retryMaxDelaySeconds,
    `must be an integer from retryBaseDelaySeconds (${p.env.retryBaseDelaySeconds}) to the topic queues' visibility timeout (${p.queueVisibilityTimeoutSeconds} s)`,
    `set retryMaxDelaySeconds to ${Math.max(p.env.retryBaseDelaySeconds, Math.min(p.env.retryMaxDelaySeconds, p.queueVisibilityTimeoutSeconds))}`,
  );

  requireProp(p.topics.length > 0, CONSTRUCT, 'topics', p.topics, 'at least one topic is needed', 'add a topic');
  for (const t of p.topics) {
    const at = `topics[${t.topic}]`;
    requireIntInRange(CONSTRUCT, `${at}.batchSize`, t.batchSize, 1, LIMITS.esmMaxBatchSize);
    requireIntInRange(CONSTRUCT, `${at}.batchingWindowSeconds`, t.batchingWindowSeconds, 0, LIMITS.esmMaxBatchingWindowSeconds);
    requireProp(
      t.batchSize <= LIMITS.esmBatchSizeWithoutWindow || t.batchingWindowSeconds >= 1,
      CONSTRUCT,
      `${at}.batchingWindowSeconds`,
      t.batchingWindowSeconds,
      `AWS requires a batching window of at least 1 s when batchSize (${t.batchSize}) is above ${LIMITS.esmBatchSizeWithoutWindow}`,
      `set batchingWindowSeconds to 1..${LIMITS.esmMaxBatchingWindowSeconds} or batchSize to ${LIMITS.esmBatchSizeWithoutWindow} or less`,
    );
    requireIntInRange(CONSTRUCT, `${at}.maximumConcurrency`, t.maximumConcurrency, LIMITS.esmMinMaximumConcurrency, LIMITS.esmMaxMaximumConcurrency);
  }
  const scheduleExpression = p.scheduleExpression ?? 'rate(1 minute)';
  requireProp(/^(rate|cron)\(.+\)$/.test(scheduleExpression), CONSTRUCT, 'scheduleExpression', scheduleExpression, 'must be an EventBridge rate(...) or cron(...) expression', 'use rate(1 minute)');
  return { ...p, scheduleExpression };
}
