import * as path from 'node:path';
import { ENV, FUNCTION_KINDS, queueNameFromArn, type FunctionKind } from '@lean-ops/contracts';
import { functionNameOf } from '../lambda/lambda-runtime';
import { LOCAL_ACCOUNT_ID } from '../sqs/queue-attributes';
import { buildAlarms } from './build-alarms';
import { buildGlueCatalog } from './build-glue-catalog';
import { checkGlueTables } from './check-glue-table';
import { checkResourceTypes, NOT_EMULATED } from './emulated-types';
import { attributeTable, mappingUuidOf, type LocalNaming } from './local-attributes';
import { resolvedArgs, type AttributeTable } from './resolve-references';
import { firstBlock, resourcesOf, type TerraformJson, type TerraformResource } from './terraform-json';
import type { BucketSpec, FunctionSpec, MappingSpec, QueueSpec, ScheduleSpec, StreamSpec, SubscriptionSpec, TableSpec, Topology, TopicSpec } from './topology';

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);

/** Terraform argument -> SQS attribute (aws_sqs_queue, provider docs "Argument Reference"). */
const QUEUE_ARGS: Record<string, string> = {
  visibility_timeout_seconds: 'VisibilityTimeout',
  message_retention_seconds: 'MessageRetentionPeriod',
  delay_seconds: 'DelaySeconds',
  max_message_size: 'MaximumMessageSize',
  receive_wait_time_seconds: 'ReceiveMessageWaitTimeSeconds',
  kms_master_key_id: 'KmsMasterKeyId',
  kms_data_key_reuse_period_seconds: 'KmsDataKeyReusePeriodSeconds',
  sqs_managed_sse_enabled: 'SqsManagedSseEnabled',
  redrive_policy: 'RedrivePolicy',
  redrive_allow_policy: 'RedriveAllowPolicy',
  policy: 'Policy',
};

function buildQueues(rs: TerraformResource[], t: AttributeTable): QueueSpec[] {
  const queues = new Map<string, QueueSpec>();
  for (const r of rs.filter((x) => x.type === 'aws_sqs_queue')) {
    const a = resolvedArgs(r, t);
    const attributes: Record<string, string> = {};
    for (const [arg, attr] of Object.entries(QUEUE_ARGS)) if (a[arg] !== undefined && a[arg] !== '') attributes[attr] = String(a[arg]);
    queues.set(t.get(r.address)!.url!, { address: r.address, name: str(a.name)!, attributes });
  }
  // Policies held as their own resources apply to the queue their queue_url names.
  const extra: Array<[string, string, string]> = [
    ['aws_sqs_queue_redrive_policy', 'redrive_policy', 'RedrivePolicy'],
    ['aws_sqs_queue_redrive_allow_policy', 'redrive_allow_policy', 'RedriveAllowPolicy'],
    ['aws_sqs_queue_policy', 'policy', 'Policy'],
  ];
  for (const [type, arg, attr] of extra) {
    for (const r of rs.filter((x) => x.type === type)) {
      const a = resolvedArgs(r, t);
      const q = queues.get(str(a.queue_url)!);
      if (!q) throw new Error(`${r.address}: queue_url ${String(a.queue_url)} is not a queue of the stack`);
      q.attributes[attr] = str(a[arg])!;
    }
  }
  return [...queues.values()];
}

function kindOf(name: string, prefix: string, address: string): FunctionKind {
  const kind = FUNCTION_KINDS.find((k) => `${prefix}-${k}` === name);
  if (!kind) throw new Error(`${address}: function ${name} is none of the handlers (${FUNCTION_KINDS.join(', ')})`);
  return kind;
}

function buildFunctions(rs: TerraformResource[], t: AttributeTable, stackDir: string): FunctionSpec[] {
  const objects = new Map(rs.filter((x) => x.type === 'aws_s3_object').map((r) => [`${t.get(r.address)!.bucket}/${t.get(r.address)!.key}`, r]));
  return rs
    .filter((x) => x.type === 'aws_lambda_function')
    .map((r) => {
      const a = resolvedArgs(r, t);
      const env = (firstBlock(a.environment).variables ?? {}) as Record<string, string>;
      const prefix = env[ENV.namePrefix];
      if (!prefix) throw new Error(`${r.address}: environment variable ${ENV.namePrefix} is missing`);
      const object = objects.get(`${str(a.s3_bucket)}/${str(a.s3_key)}`);
      const source = object && str(object.args.source);
      if (!source) throw new Error(`${r.address}: its package s3://${String(a.s3_bucket)}/${String(a.s3_key)} is no aws_s3_object with a source in the stack`);
      return {
        address: r.address,
        kind: kindOf(str(a.function_name)!, prefix, r.address),
        name: str(a.function_name)!,
        handler: str(a.handler) ?? '',
        runtime: str(a.runtime) ?? '',
        memoryMb: num(a.memory_size) ?? 128,
        timeoutSeconds: num(a.timeout) ?? 3,
        ...(num(a.reserved_concurrent_executions) !== undefined && num(a.reserved_concurrent_executions)! >= 0 ? { reservedConcurrency: num(a.reserved_concurrent_executions)! } : {}),
        roleArn: str(a.role) ?? '',
        env,
        packageZip: path.resolve(stackDir, source),
      };
    });
}

function buildMappings(rs: TerraformResource[], t: AttributeTable): MappingSpec[] {
  return rs
    .filter((x) => x.type === 'aws_lambda_event_source_mapping')
    .map((r) => {
      const a = resolvedArgs(r, t);
      const fn = str(a.function_name)!;
      const source = str(a.event_source_arn)!;
      const maximumConcurrency = num(firstBlock(a.scaling_config).maximum_concurrency);
      const responseTypes = (a.function_response_types as string[] | undefined) ?? [];
      const unknown = responseTypes.filter((x) => x !== 'ReportBatchItemFailures');
      if (unknown.length > 0) throw new Error(`${r.address}: function_response_types ${unknown.join(', ')}: AWS accepts only ReportBatchItemFailures`);
      return {
        address: r.address,
        uuid: mappingUuidOf(fn, source),
        functionName: functionNameOf(fn),
        queueName: queueNameFromArn(source),
        // AWS defaults for SQS sources (CreateEventSourceMapping): batch size 10, no window, enabled.
        batchSize: num(a.batch_size) ?? 10,
        maximumBatchingWindowInSeconds: num(a.maximum_batching_window_in_seconds) ?? 0,
        ...(maximumConcurrency !== undefined ? { maximumConcurrency } : {}),
        functionResponseTypes: responseTypes as Array<'ReportBatchItemFailures'>,
        enabled: a.enabled === undefined ? true : a.enabled === true || a.enabled === 'true',
      };
    });
}

function buildStreams(rs: TerraformResource[], t: AttributeTable): StreamSpec[] {
  return rs
    .filter((x) => x.type === 'aws_kinesis_firehose_delivery_stream')
    .map((r) => {
      const a = resolvedArgs(r, t);
      if (a.destination !== 'iceberg') throw new Error(`${r.address}: destination ${String(a.destination)}: the local Firehose writes Iceberg tables only`);
      const ice = firstBlock(a.iceberg_configuration);
      const dest = firstBlock(ice.destination_table_configuration);
      const s3 = firstBlock(ice.s3_configuration);
      const bucketArn = str(s3.bucket_arn) ?? '';
      return {
        address: r.address,
        name: str(a.name)!,
        database: str(dest.database_name)!,
        table: str(dest.table_name)!,
        // Firehose defaults for Iceberg destinations (API IcebergDestinationConfiguration): 5 MiB, 300 s, 3600 s.
        bufferSizeMb: num(ice.buffering_size) ?? 5,
        bufferIntervalSeconds: num(ice.buffering_interval) ?? 300,
        retryDurationSeconds: num(ice.retry_duration) ?? 3600,
        errorOutputBucket: bucketArn.replace(/^arn:aws:s3:::/, ''),
        errorOutputPrefix: str(s3.error_output_prefix) ?? '',
        roleArn: str(ice.role_arn) ?? '',
      };
    });
}

function buildTables(rs: TerraformResource[], t: AttributeTable): TableSpec[] {
  return rs
    .filter((x) => x.type === 'aws_dynamodb_table')
    .map((r) => {
      const a = resolvedArgs(r, t);
      const ttl = firstBlock(a.ttl);
      return {
        address: r.address,
        name: str(a.name)!,
        hashKey: str(a.hash_key)!,
        ...(str(a.range_key) ? { rangeKey: str(a.range_key)! } : {}),
        attributes: ((a.attribute as Args[] | undefined) ?? []).map((x) => ({ name: str(x.name)!, type: str(x.type) as 'S' | 'N' | 'B' })),
        ...(ttl.enabled === true && str(ttl.attribute_name) ? { ttlAttribute: str(ttl.attribute_name)! } : {}),
      };
    });
}

function buildSchedules(rs: TerraformResource[], t: AttributeTable): ScheduleSpec[] {
  const rules = new Map(rs.filter((x) => x.type === 'aws_cloudwatch_event_rule').map((r) => [t.get(r.address)!.name!, resolvedArgs(r, t)]));
  return rs
    .filter((x) => x.type === 'aws_cloudwatch_event_target')
    .map((r) => {
      const a = resolvedArgs(r, t);
      const rule = str(a.rule)!;
      const expression = str(rules.get(rule)?.schedule_expression);
      if (!expression) throw new Error(`${r.address}: rule ${rule} has no schedule_expression (only scheduled rules run locally)`);
      return { address: r.address, rule, expression, targetArn: str(a.arn)! };
    });
}

const named = (rs: TerraformResource[], type: string, t: AttributeTable, attr: string) => rs.filter((x) => x.type === type).map((r) => ({ address: r.address, name: t.get(r.address)![attr]! }));

/** The whole local topology of a synthesized stack. Pure: reads the JSON, names resources, resolves references. */
export function buildTopology(json: TerraformJson, opts: { stackDir: string; endpoint: string }): Topology {
  const rs = resourcesOf(json);
  checkResourceTypes(rs);
  const provider = firstBlock((json.provider as Args | undefined)?.aws);
  const region = str(provider.region);
  if (!region) throw new Error('the stack has no aws provider region');
  const naming: LocalNaming = { region, endpoint: opts.endpoint };
  const t = attributeTable(rs, naming);
  const functions = buildFunctions(rs, t, opts.stackDir);
  const streams = buildStreams(rs, t);
  const glue = buildGlueCatalog(rs, t);
  checkGlueTables(glue.tables, streams);
  const notEmulated: Record<string, number> = {};
  for (const r of rs) if (r.type in NOT_EMULATED) notEmulated[r.type] = (notEmulated[r.type] ?? 0) + 1;
  return {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    namePrefix: functions[0]?.env[ENV.namePrefix] ?? '',
    queues: buildQueues(rs, t),
    functions,
    mappings: buildMappings(rs, t),
    streams,
    tables: buildTables(rs, t),
    buckets: named(rs, 'aws_s3_bucket', t, 'bucket') satisfies BucketSpec[],
    topics: rs.filter((x) => x.type === 'aws_sns_topic').map((r) => ({ address: r.address, name: t.get(r.address)!.name!, arn: t.get(r.address)!.arn! }) satisfies TopicSpec),
    subscriptions: rs
      .filter((x) => x.type === 'aws_sns_topic_subscription')
      .map((r) => {
        const a = resolvedArgs(r, t);
        return { address: r.address, topicArn: str(a.topic_arn)!, protocol: str(a.protocol)!, endpoint: str(a.endpoint)! } satisfies SubscriptionSpec;
      }),
    schedules: buildSchedules(rs, t),
    alarms: buildAlarms(rs, t),
    glue,
    notEmulated,
  };
}
