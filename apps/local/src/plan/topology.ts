import type { FunctionKind } from '@lean-ops/contracts';
import type { AlarmSpec } from './build-alarms';
import type { GlueDatabaseSpec, GlueTableSpec } from './build-glue-catalog';

/**
 * What the local stack creates, read from a synthesized Terraform stack (`cdk.tf.json`) with every reference
 * resolved to its local value: the same resources `cdktf deploy` creates on AWS.
 */
export interface Topology {
  region: string;
  accountId: string;
  namePrefix: string;
  queues: QueueSpec[];
  functions: FunctionSpec[];
  mappings: MappingSpec[];
  streams: StreamSpec[];
  tables: TableSpec[];
  buckets: BucketSpec[];
  topics: TopicSpec[];
  subscriptions: SubscriptionSpec[];
  schedules: ScheduleSpec[];
  alarms: AlarmSpec[];
  /** The Glue Data Catalog's databases and tables (the RAW table Firehose commits to). */
  glue: { databases: GlueDatabaseSpec[]; tables: GlueTableSpec[] };
  /** Resource types held by the stack that the local stack accepts without emulating them (listed in the report). */
  notEmulated: Record<string, number>;
}

export interface QueueSpec {
  address: string;
  name: string;
  /** SQS attributes (API names), redrive and redrive-allow policies included. */
  attributes: Record<string, string>;
}

export interface FunctionSpec {
  address: string;
  kind: FunctionKind;
  name: string;
  /** `file.export`, e.g. `index.handler`. */
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Reserved concurrency, when the stack sets one. */
  reservedConcurrency?: number;
  roleArn: string;
  /** Environment variables exactly as synthesized, references resolved. */
  env: Record<string, string>;
  /** The deployment package: the zip the stack uploads (absolute path). */
  packageZip: string;
}

export interface MappingSpec {
  address: string;
  uuid: string;
  functionName: string;
  queueName: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  maximumConcurrency?: number;
  /** `ReportBatchItemFailures` is the only value AWS defines for SQS (CreateEventSourceMapping). */
  functionResponseTypes: Array<'ReportBatchItemFailures'>;
  enabled: boolean;
}

export interface StreamSpec {
  address: string;
  name: string;
  database: string;
  table: string;
  bufferSizeMb: number;
  bufferIntervalSeconds: number;
  retryDurationSeconds: number;
  errorOutputBucket: string;
  errorOutputPrefix: string;
  roleArn: string;
}

export interface TableSpec {
  address: string;
  name: string;
  hashKey: string;
  rangeKey?: string;
  attributes: Array<{ name: string; type: 'S' | 'N' | 'B' }>;
  ttlAttribute?: string;
}

export interface BucketSpec {
  address: string;
  name: string;
}

export interface TopicSpec {
  address: string;
  name: string;
  arn: string;
}

export interface SubscriptionSpec {
  address: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
}

export interface ScheduleSpec {
  address: string;
  rule: string;
  expression: string;
  /** ARN of the target (a function). */
  targetArn: string;
}
