import { createHash } from 'node:crypto';
import { queueNameFromArn } from '@lean-ops/contracts';
import { functionNameOf } from '../lambda/lambda-runtime';
import { LOCAL_ACCOUNT_ID, queueArn, queueUrl } from '../sqs/queue-attributes';
import { resolveString, type LocalAttributes } from './resolve-references';
import type { TerraformResource } from './terraform-json';

export interface LocalNaming {
  region: string;
  /** The local AWS endpoint (queue URLs carry it). */
  endpoint: string;
}

/** A stable id from a resource address (KMS key ids, mapping UUIDs): the same plan gives the same ids. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Namer = (args: Record<string, string>, n: LocalNaming, address: string) => LocalAttributes;
const acct = LOCAL_ACCOUNT_ID;

/** A log group's ARN, without the `:*` that policies add for its streams. */
export const logGroupArn = (region: string, name: string) => `arn:aws:logs:${region}:${acct}:log-group:${name}`;

/**
 * What each resource type is called locally: the attributes other resources reference (`arn`, `url`, `name`, ...),
 * in the formats AWS gives them (service authorization reference, "Resource types" of each service). Every ARN
 * carries the local account id; names are the synthesized ones.
 */
const NAMERS: Record<string, Namer> = {
  aws_sqs_queue: (a, n) => ({ name: a.name!, arn: queueArn(n.region, a.name!), url: queueUrl(n.endpoint, a.name!), id: queueUrl(n.endpoint, a.name!) }),
  aws_dynamodb_table: (a, n) => ({ name: a.name!, id: a.name!, arn: `arn:aws:dynamodb:${n.region}:${acct}:table/${a.name}` }),
  aws_s3_bucket: (a) => ({ bucket: a.bucket!, id: a.bucket!, arn: `arn:aws:s3:::${a.bucket}` }),
  aws_s3_object: (a) => ({ key: a.key!, id: a.key!, bucket: a.bucket! }),
  aws_sns_topic: (a, n) => ({ name: a.name!, arn: `arn:aws:sns:${n.region}:${acct}:${a.name}`, id: `arn:aws:sns:${n.region}:${acct}:${a.name}` }),
  aws_lambda_function: (a, n) => {
    const arn = `arn:aws:lambda:${n.region}:${acct}:function:${a.function_name}`;
    return {
      function_name: a.function_name!,
      id: a.function_name!,
      arn,
      qualified_arn: `${arn}:$LATEST`,
      invoke_arn: `arn:aws:apigateway:${n.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
    };
  },
  aws_lambda_event_source_mapping: (a, n) => {
    const uuid = mappingUuidOf(a.function_name!, a.event_source_arn!);
    return { uuid, id: uuid, arn: `arn:aws:lambda:${n.region}:${acct}:event-source-mapping:${uuid}`, function_arn: a.function_name! };
  },
  aws_kinesis_firehose_delivery_stream: (a, n) => ({
    name: a.name!,
    id: `arn:aws:firehose:${n.region}:${acct}:deliverystream/${a.name}`,
    arn: `arn:aws:firehose:${n.region}:${acct}:deliverystream/${a.name}`,
  }),
  aws_glue_catalog_database: (a, n) => ({ name: a.name!, id: `${acct}:${a.name}`, arn: `arn:aws:glue:${n.region}:${acct}:database/${a.name}` }),
  aws_glue_catalog_table: (a, n) => ({ name: a.name!, id: `${acct}:${a.database_name}:${a.name}`, arn: `arn:aws:glue:${n.region}:${acct}:table/${a.database_name}/${a.name}` }),
  aws_iam_role: (a) => ({ name: a.name!, id: a.name!, arn: `arn:aws:iam::${acct}:role/${a.name}` }),
  aws_iam_role_policy: (a) => ({ name: a.name!, id: `${a.role}:${a.name}` }),
  aws_iam_policy: (a) => ({ name: a.name!, id: `arn:aws:iam::${acct}:policy${a.path ?? '/'}${a.name}`, arn: `arn:aws:iam::${acct}:policy${a.path ?? '/'}${a.name}` }),
  aws_kms_key: (_a, n, address) => {
    const keyId = stableUuid(address);
    return { key_id: keyId, id: keyId, arn: `arn:aws:kms:${n.region}:${acct}:key/${keyId}` };
  },
  aws_kms_alias: (a, n) => ({ name: a.name!, id: a.name!, arn: `arn:aws:kms:${n.region}:${acct}:${a.name}` }),
  aws_cloudwatch_log_group: (a, n) => ({ name: a.name!, id: a.name!, arn: logGroupArn(n.region, a.name!) }),
  aws_cloudwatch_log_stream: (a, n) => ({ name: a.name!, id: a.name!, arn: `${logGroupArn(n.region, a.log_group_name!)}:log-stream:${a.name}` }),
  aws_cloudwatch_metric_alarm: (a, n) => ({ alarm_name: a.alarm_name!, id: a.alarm_name!, arn: `arn:aws:cloudwatch:${n.region}:${acct}:alarm:${a.alarm_name}` }),
  aws_cloudwatch_event_rule: (a, n) => ({ name: a.name!, id: a.name!, arn: `arn:aws:events:${n.region}:${acct}:rule/${a.name}` }),
  aws_cloudwatch_dashboard: (a) => ({ dashboard_name: a.dashboard_name!, id: a.dashboard_name!, dashboard_arn: `arn:aws:cloudwatch::${acct}:dashboard/${a.dashboard_name}` }),
};

/** Event source mapping ids that stay the same across restarts of one data dir (the breaker finds them by queue). */
export function mappingUuidOf(functionNameOrArn: string, eventSourceArn: string): string {
  return stableUuid(`${functionNameOf(functionNameOrArn)}\u0000${queueNameFromArn(eventSourceArn)}`);
}

export const namedTypes = (): string[] => Object.keys(NAMERS);

/**
 * The attribute table of a whole stack. Naming arguments that are themselves references (a log stream's group, a
 * mapping's function) are resolved against what is already known, so resources are named in passes until none
 * is left; a reference cycle or an unknown reference ends with an error naming the resource.
 */
export function attributeTable(resources: readonly TerraformResource[], naming: LocalNaming): Map<string, LocalAttributes> {
  const table = new Map<string, LocalAttributes>();
  let pending = resources.filter((r) => NAMERS[r.type]);
  while (pending.length > 0) {
    const next: TerraformResource[] = [];
    let lastError: Error | undefined;
    for (const r of pending) {
      try {
        const args = Object.fromEntries(
          Object.entries(r.args)
            .filter(([, v]) => typeof v === 'string')
            .map(([k, v]) => [k, resolveString(v as string, table, r.address)]),
        );
        table.set(r.address, NAMERS[r.type]!(args, naming, r.address));
      } catch (err) {
        lastError = err as Error;
        next.push(r);
      }
    }
    if (next.length === pending.length) throw lastError!;
    pending = next;
  }
  return table;
}
