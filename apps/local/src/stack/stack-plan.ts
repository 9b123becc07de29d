import { createHash } from 'node:crypto';
import {
  FIREHOSE_ERROR_BUCKET_KIND,
  FUNCTION_KINDS,
  LAMBDA_RUNTIME,
  LIMITS,
  SUPPORT_FUNCTION_SIZES,
  names,
  type BucketKind,
  type FunctionKind,
  type FunctionSize,
  type HandlerEnvValues,
  type TableKind,
  type TopicRuntimeConfig,
} from '@lean-ops/contracts';
import { handlerTuning, type EnvironmentConfig } from '@lean-ops/config';
import { queueArn, queueUrl } from '../sqs/queue-attributes';

/** One queue the stack creates, with the attributes MessagingModule gives it on AWS. */
export interface QueuePlan {
  topic?: string;
  name: string;
  attributes: Record<string, string>;
}

export interface FunctionPlan {
  kind: FunctionKind;
  name: string;
  /** Lambda runtime identifier, as ComputeModule declares it. */
  runtime: string;
  size: FunctionSize;
  /** Execution environments at most (the event source mappings cap themselves below it). */
  concurrency: number;
}

export interface MappingPlan {
  uuid: string;
  topic?: string;
  functionName: string;
  queueName: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  maximumConcurrency: number;
}

/** Everything the local stack creates, derived from the environment file alone (pure, no I/O). */
export interface StackPlan {
  prefix: string;
  region: string;
  accountId: string;
  buckets: Record<BucketKind, string>;
  tables: Record<TableKind, string>;
  dlq: QueuePlan;
  topicQueues: QueuePlan[];
  functions: Record<FunctionKind, FunctionPlan>;
  mappings: MappingPlan[];
  stream: { name: string; database: string; table: string; errorOutputBucket: string };
  alertTopic: string;
  /** The breaker's alarms, one per topic (the breaker maps alarm name -> topic). */
  errorRateAlarms: Record<string, string>;
}

/** The topic queues' visibility timeout: the config resolves it (default 6 x the processor timeout, never less). */
export function topicVisibilitySeconds(config: EnvironmentConfig): number {
  return config.messaging.visibilityTimeoutSeconds;
}

/** The DLQ's own visibility timeout: the same AWS rule applied to its consumer, the DLQ processor. */
export function dlqVisibilitySeconds(): number {
  return LIMITS.visibilityTimeoutFactor * SUPPORT_FUNCTION_SIZES['dlq-processor'].timeoutSeconds;
}

/** Event source mapping ids that stay the same across restarts of one data dir (the breaker finds them by queue). */
export function mappingUuid(functionName: string, queueName: string): string {
  const h = createHash('sha256').update(`${functionName}\u0000${queueName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function stackPlan(config: EnvironmentConfig): StackPlan {
  const prefix = config.namePrefix;
  const region = config.region;
  const accountId = config.allowedAccountIds[0];
  const buckets = {
    warehouse: names.bucket(prefix, 'warehouse', accountId),
    archive: names.bucket(prefix, 'archive', accountId),
    artifacts: names.bucket(prefix, 'artifacts', accountId),
  };
  const tables = { checkpoints: names.table(prefix, 'checkpoints'), locks: names.table(prefix, 'locks'), errors: names.table(prefix, 'errors') };
  const dlqName = names.dlq(prefix);
  const dlq: QueuePlan = {
    name: dlqName,
    attributes: {
      MessageRetentionPeriod: String(config.messaging.dlqRetentionSeconds),
      VisibilityTimeout: String(dlqVisibilitySeconds()),
    },
  };
  const visibility = String(topicVisibilitySeconds(config));
  const topicQueues: QueuePlan[] = config.topics.map((t) => ({
    topic: t.name,
    name: names.topicQueue(prefix, t.name),
    attributes: {
      MessageRetentionPeriod: String(config.messaging.queueRetentionSeconds),
      VisibilityTimeout: visibility,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(region, dlqName), maxReceiveCount: config.messaging.maxReceiveCount }),
    },
  }));

  const processorConcurrency = config.topics.reduce((n, t) => n + t.maximumConcurrency, 0);
  const concurrency: Record<FunctionKind, number> = {
    'sqs-processor': processorConcurrency,
    'dlq-processor': LIMITS.esmMinMaximumConcurrency,
    // an alarm notification and a scheduled tick may run at once
    'circuit-breaker': 2,
    'water-balance': 1,
  };
  const functions = Object.fromEntries(
    FUNCTION_KINDS.map((kind) => [
      kind,
      {
        kind,
        name: names.fn(prefix, kind),
        runtime: LAMBDA_RUNTIME,
        size: kind === 'sqs-processor' ? config.lambda : SUPPORT_FUNCTION_SIZES[kind],
        concurrency: concurrency[kind],
      },
    ]),
  ) as Record<FunctionKind, FunctionPlan>;

  const processor = functions['sqs-processor'].name;
  const mappings: MappingPlan[] = config.topics.map((t) => {
    const queueName = names.topicQueue(prefix, t.name);
    return {
      uuid: mappingUuid(processor, queueName),
      topic: t.name,
      functionName: processor,
      queueName,
      batchSize: t.batchSize,
      maximumBatchingWindowInSeconds: t.batchingWindowSeconds,
      maximumConcurrency: t.maximumConcurrency,
    };
  });
  // ComputeModule's DLQ mapping: full receives, the lowest concurrency SQS mappings accept.
  mappings.push({
    uuid: mappingUuid(functions['dlq-processor'].name, dlqName),
    functionName: functions['dlq-processor'].name,
    queueName: dlqName,
    batchSize: LIMITS.sqsMaxReceiveMessages,
    maximumBatchingWindowInSeconds: 0,
    maximumConcurrency: LIMITS.esmMinMaximumConcurrency,
  });

  const bucketForErrors: BucketKind = FIREHOSE_ERROR_BUCKET_KIND;
  return {
    prefix,
    region,
    accountId,
    buckets,
    tables,
    dlq,
    topicQueues,
    functions,
    mappings,
    stream: { name: names.deliveryStream(prefix), database: names.glueDatabase(prefix), table: names.rawTable, errorOutputBucket: buckets[bucketForErrors] },
    alertTopic: names.alertTopic(prefix),
    errorRateAlarms: Object.fromEntries(config.topics.map((t) => [t.name, names.errorRateAlarm(prefix, t.name)])),
  };
}

/** The values every handler's environment is built from (handlerEnv), as ComputeModule fills them on AWS. */
export function handlerEnvValues(config: EnvironmentConfig, plan: StackPlan, endpoint: string, alertTopicArn: string): HandlerEnvValues {
  const topics: TopicRuntimeConfig[] = config.topics.map((t) => {
    const name = names.topicQueue(plan.prefix, t.name);
    return {
      topic: t.name,
      queueName: name,
      queueArn: queueArn(plan.region, name),
      queueUrl: queueUrl(endpoint, name),
      expectedFields: t.expectedFields,
      errorRateAlarm: plan.errorRateAlarms[t.name],
      maximumConcurrency: t.maximumConcurrency,
    };
  });
  return {
    namePrefix: plan.prefix,
    topics,
    deliveryStream: plan.stream.name,
    archiveBucket: plan.buckets.archive,
    checkpointsTable: plan.tables.checkpoints,
    locksTable: plan.tables.locks,
    errorsTable: plan.tables.errors,
    alertTopicArn,
    processorFunctionName: plan.functions['sqs-processor'].name,
    dlqUrl: queueUrl(endpoint, plan.dlq.name),
    ...handlerTuning(config),
  };
}
