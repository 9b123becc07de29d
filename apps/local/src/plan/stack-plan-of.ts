import { BUCKET_KINDS, ENV, FUNCTION_KINDS, LIMITS, TABLE_KINDS, names, queueNameFromArn, type BucketKind, type FunctionKind, type TableKind, type TopicRuntimeConfig } from '@lean-ops/contracts';
import type { FunctionSpec, MappingSpec, QueueSpec, Topology } from './topology';

/** One queue the stack creates. */
export interface QueuePlan {
  topic?: string;
  name: string;
  attributes: Record<string, string>;
}

export interface FunctionPlan extends FunctionSpec {
  /** Execution environments at most: its reserved concurrency, else what its mappings can use at once. */
  concurrency: number;
}

export interface MappingPlan extends MappingSpec {
  topic?: string;
}

/** The topology in the terms the local stack and its report use: queues by topic, functions by kind, named buckets. */
export interface StackPlan {
  topology: Topology;
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
  /** The processor's topic configuration as synthesized (LEAN_OPS_TOPICS). */
  topics: TopicRuntimeConfig[];
}

function byKind<K extends string, T>(kinds: readonly K[], find: (k: K) => T | undefined, what: string): Record<K, T> {
  return Object.fromEntries(
    kinds.map((k) => {
      const v = find(k);
      if (v === undefined) throw new Error(`the stack has no ${what} ${k}`);
      return [k, v];
    }),
  ) as Record<K, T>;
}

function deadLetterQueue(queues: QueueSpec[]): QueueSpec {
  const targets = new Set(
    queues.flatMap((q) => (q.attributes.RedrivePolicy ? [queueNameFromArn((JSON.parse(q.attributes.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn)] : [])),
  );
  const dlqs = queues.filter((q) => targets.has(q.name));
  if (dlqs.length !== 1) throw new Error(`expected one dead-letter queue in the stack, found ${dlqs.length}`);
  return dlqs[0]!;
}

function concurrencyOf(fn: FunctionSpec, mappings: MappingSpec[]): number {
  if (fn.reservedConcurrency !== undefined) return Math.max(1, fn.reservedConcurrency);
  const own = mappings.filter((m) => m.functionName === fn.name);
  // Without a mapping: a scheduled run and an alarm notification may overlap.
  if (own.length === 0) return 2;
  return own.reduce((n, m) => n + (m.maximumConcurrency ?? LIMITS.esmMinMaximumConcurrency), 0);
}

export function stackPlanOf(t: Topology): StackPlan {
  const processor = t.functions.find((f) => f.kind === 'sqs-processor');
  if (!processor) throw new Error('the stack has no sqs-processor function');
  const topics = JSON.parse(processor.env[ENV.topics] ?? '[]') as TopicRuntimeConfig[];
  const topicOfQueue = new Map(topics.map((x) => [x.queueName, x.topic]));
  const dlq = deadLetterQueue(t.queues);
  const stream = t.streams[0];
  if (!stream) throw new Error('the stack has no Firehose delivery stream');
  const alertTopicArn = processor.env[ENV.alertTopicArn] ?? t.functions.map((f) => f.env[ENV.alertTopicArn]).find(Boolean);
  const alertTopic = t.topics.find((x) => x.arn === alertTopicArn) ?? t.topics[0];
  if (!alertTopic) throw new Error('the stack has no SNS alert topic');
  return {
    topology: t,
    prefix: t.namePrefix,
    region: t.region,
    accountId: t.accountId,
    buckets: byKind(BUCKET_KINDS, (k) => t.buckets.find((b) => b.name.startsWith(`${t.namePrefix}-${k}-`))?.name, 'bucket'),
    tables: byKind(TABLE_KINDS, (k) => t.tables.find((x) => x.name === names.table(t.namePrefix, k))?.name, 'DynamoDB table'),
    dlq: { name: dlq.name, attributes: dlq.attributes },
    topicQueues: t.queues.filter((q) => topicOfQueue.has(q.name)).map((q) => ({ topic: topicOfQueue.get(q.name), name: q.name, attributes: q.attributes })),
    functions: byKind(
      FUNCTION_KINDS,
      (k) => {
        const f = t.functions.find((x) => x.kind === k);
        return f && { ...f, concurrency: concurrencyOf(f, t.mappings) };
      },
      'function',
    ),
    mappings: t.mappings.map((m) => ({ ...m, ...(topicOfQueue.has(m.queueName) ? { topic: topicOfQueue.get(m.queueName) } : {}) })),
    stream: { name: stream.name, database: stream.database, table: stream.table, errorOutputBucket: stream.errorOutputBucket },
    alertTopic: alertTopic.name,
    errorRateAlarms: Object.fromEntries(topics.map((x) => [x.topic, x.errorRateAlarm])),
    topics,
  };
}
