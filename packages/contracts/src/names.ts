/**
 * Resource names. Every module and handler derives names from here, so Terraform and the
 * handlers can never disagree (the seed's "DynamoDB key mismatch" lesson).
 */

export const TABLE_KINDS = ['checkpoints', 'locks', 'errors'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export const BUCKET_KINDS = ['warehouse', 'archive', 'artifacts'] as const;
export type BucketKind = (typeof BUCKET_KINDS)[number];

export const FUNCTION_KINDS = ['sqs-processor', 'dlq-processor', 'circuit-breaker', 'water-balance'] as const;
export type FunctionKind = (typeof FUNCTION_KINDS)[number];

/** Topic names become parts of queue, alarm and S3 names: lower-case letters, digits, `_` and `-`. */
export const TOPIC_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
/** Name prefixes: lower-case, digits and `-` (S3 bucket and Glue rules). */
export const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]{1,23}$/;

export const names = {
  topicQueue: (prefix: string, topic: string) => `${prefix}-${topic}`,
  dlq: (prefix: string) => `${prefix}-dlq`,
  table: (prefix: string, kind: TableKind) => `${prefix}-${kind}`,
  /** Bucket names are global: the account id keeps them unique per account. */
  bucket: (prefix: string, kind: BucketKind, accountId: string) => `${prefix}-${kind}-${accountId}`,
  fn: (prefix: string, kind: FunctionKind) => `${prefix}-${kind}`,
  fnRole: (prefix: string, kind: FunctionKind | 'firehose') => `${prefix}-${kind}-role`,
  /** Role the Glue table optimizers (compaction, snapshot retention, orphan-file deletion) assume. */
  tableOptimizerRole: (prefix: string) => `${prefix}-table-optimizer-role`,
  logGroup: (functionName: string) => `/aws/lambda/${functionName}`,
  deliveryStream: (prefix: string) => `${prefix}-raw`,
  firehoseLogGroup: (prefix: string) => `/aws/kinesisfirehose/${prefix}-raw`,
  /** Glue database names: lower-case, digits and `_`. */
  glueDatabase: (prefix: string) => `${prefix.replace(/-/g, '_')}_lake`,
  rawTable: 'raw_events',
  alertTopic: (prefix: string) => `${prefix}-alerts`,
  kmsAlias: (prefix: string) => `alias/${prefix}`,
  errorRateAlarm: (prefix: string, topic: string) => `${prefix}-error-rate-${topic}`,
  dlqDepthAlarm: (prefix: string) => `${prefix}-dlq-depth`,
  dlqAgeAlarm: (prefix: string) => `${prefix}-dlq-age`,
  firehoseFailureAlarm: (prefix: string) => `${prefix}-firehose-delivery-failure`,
  waterBalanceAlarm: (prefix: string) => `${prefix}-water-balance-gap`,
  /** AWS/Lambda Errors of the SQS processor: invocations that crashed or timed out (partial batch responses never fail). */
  processorErrorsAlarm: (prefix: string) => `${prefix}-sqs-processor-errors`,
  /** AWS/Lambda Throttles of the SQS processor. */
  processorThrottlesAlarm: (prefix: string) => `${prefix}-sqs-processor-throttles`,
  /** AWS/Firehose ThrottledRecords of the delivery stream (Direct PUT above the stream's throughput). */
  firehoseThrottlingAlarm: (prefix: string) => `${prefix}-firehose-throttled`,
  dashboard: (prefix: string) => `${prefix}-pipeline`,
  schedule: (prefix: string, kind: FunctionKind) => `${prefix}-${kind}-schedule`,
} as const;

/** Queue name -> topic name (inverse of names.topicQueue). */
export function topicFromQueueName(prefix: string, queueName: string): string | undefined {
  const head = `${prefix}-`;
  if (!queueName.startsWith(head)) return undefined;
  const topic = queueName.slice(head.length);
  return TOPIC_NAME_PATTERN.test(topic) && queueName !== names.dlq(prefix) ? topic : undefined;
}

/** Queue URL -> name: the last path segment, whatever host the client used (`https://host/account/name`). */
export function queueNameFromUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** `arn:aws:sqs:region:account:name` -> `name`. */
export function queueNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}
