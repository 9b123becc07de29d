import { LOCAL_ACCOUNT_ID } from '../sqs/queue-attributes';
import { attributeTable, logGroupArn, type LocalNaming } from '../plan/local-attributes';
import { resolvedArgs, type AttributeTable } from '../plan/resolve-references';
import { firstBlock, resourcesOf, type TerraformJson, type TerraformResource } from '../plan/terraform-json';
import { checkOperators } from './conditions';
import { defaultKeyPolicy, defaultTopicPolicy, MANAGED_POLICIES } from './managed-policies';
import { statementsOf, type PolicyDocument, type PolicyStatement } from './policy-types';

/** The identity and resource policies of a synthesized stack, every reference resolved to its local value. */
export interface IamPlan {
  accountId: string;
  region: string;
  /** Role ARN -> its identity policies (inline, customer managed, AWS managed). */
  roles: Map<string, PolicyDocument[]>;
  /** Resource ARN (queue, topic, bucket, key, function) -> its resource policy. */
  resourcePolicies: Map<string, PolicyDocument>;
  /** ARN of a queue, topic, table or bucket encrypted with a customer managed key -> the key's ARN. */
  encryptedWith: Map<string, string>;
  /** Function name -> its execution role's ARN. */
  functionRoles: Map<string, string>;
  /** Function name -> ARN of the log group it writes to (`logging_config`, else `/aws/lambda/<name>`). */
  functionLogGroups: Map<string, string>;
}

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const ofType = (rs: TerraformResource[], type: string) => rs.filter((r) => r.type === type);

export class PolicyPlanError extends Error {
  override readonly name = 'PolicyPlanError';
}

function parsePolicy(text: unknown, where: string): PolicyDocument {
  let doc: PolicyDocument;
  try {
    doc = (typeof text === 'string' ? JSON.parse(text) : text) as PolicyDocument;
  } catch (err) {
    throw new PolicyPlanError(`${where}: the policy is not JSON (${String(err)})`);
  }
  if (!doc || doc.Statement === undefined) throw new PolicyPlanError(`${where}: the policy has no Statement`);
  statementsOf(doc).forEach((s, i) => checkOperators(s, `${where} statement ${s.Sid ?? i}`));
  return doc;
}

const roleArnOf = (nameOrArn: string, accountId: string) => (nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:iam::${accountId}:role/${nameOrArn}`);

function buildRoles(rs: TerraformResource[], t: AttributeTable, accountId: string): Map<string, PolicyDocument[]> {
  const roles = new Map<string, PolicyDocument[]>();
  const add = (role: string, doc: PolicyDocument) => roles.get(roleArnOf(role, accountId))?.push(doc);
  const customer = new Map(ofType(rs, 'aws_iam_policy').map((r) => [t.get(r.address)!.arn!, parsePolicy(resolvedArgs(r, t).policy, r.address)]));
  const managed = (arn: string, where: string): PolicyDocument => {
    const doc = customer.get(arn) ?? MANAGED_POLICIES[arn];
    if (!doc) throw new PolicyPlanError(`${where}: managed policy ${arn} is unknown to the local stack (neither a policy of the stack nor one it knows the statements of)`);
    return doc;
  };
  for (const r of ofType(rs, 'aws_iam_role')) {
    const a = resolvedArgs(r, t);
    roles.set(t.get(r.address)!.arn!, []);
    for (const p of (a.inline_policy as Args[] | undefined) ?? []) if (str(p.policy)) add(str(a.name)!, parsePolicy(p.policy, `${r.address} inline_policy ${String(p.name)}`));
    for (const arn of (a.managed_policy_arns as string[] | undefined) ?? []) add(str(a.name)!, managed(arn, r.address));
  }
  for (const r of ofType(rs, 'aws_iam_role_policy')) {
    const a = resolvedArgs(r, t);
    if (!roles.has(roleArnOf(str(a.role)!, accountId))) throw new PolicyPlanError(`${r.address}: role ${String(a.role)} is not a role of the stack`);
    add(str(a.role)!, parsePolicy(a.policy, r.address));
  }
  for (const r of ofType(rs, 'aws_iam_role_policy_attachment')) {
    const a = resolvedArgs(r, t);
    add(str(a.role)!, managed(str(a.policy_arn)!, r.address));
  }
  return roles;
}

/** aws_lambda_permission -> the statement Lambda adds to the function policy (Lambda Developer Guide, "Viewing resource-based IAM policies"). */
function permissionStatement(a: Args, functionArn: string): PolicyStatement {
  const principal = str(a.principal)!;
  const condition: NonNullable<PolicyStatement['Condition']> = {};
  if (str(a.source_arn)) condition.ArnLike = { 'AWS:SourceArn': str(a.source_arn)! };
  if (str(a.source_account)) condition.StringEquals = { 'AWS:SourceAccount': str(a.source_account)! };
  return {
    Sid: str(a.statement_id),
    Effect: 'Allow',
    Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
    Action: str(a.action)!,
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

function buildResourcePolicies(rs: TerraformResource[], t: AttributeTable, n: LocalNaming, accountId: string): Map<string, PolicyDocument> {
  const policies = new Map<string, PolicyDocument>();
  for (const r of ofType(rs, 'aws_kms_key')) {
    const a = resolvedArgs(r, t);
    policies.set(t.get(r.address)!.arn!, a.policy ? parsePolicy(a.policy, r.address) : defaultKeyPolicy(accountId));
  }
  for (const r of ofType(rs, 'aws_sns_topic')) {
    const a = resolvedArgs(r, t);
    const arn = t.get(r.address)!.arn!;
    policies.set(arn, a.policy ? parsePolicy(a.policy, r.address) : defaultTopicPolicy(arn, accountId));
  }
  for (const r of ofType(rs, 'aws_sqs_queue')) {
    const a = resolvedArgs(r, t);
    if (a.policy) policies.set(t.get(r.address)!.arn!, parsePolicy(a.policy, r.address));
  }
  const queueArnByUrl = new Map(ofType(rs, 'aws_sqs_queue').map((r) => [t.get(r.address)!.url!, t.get(r.address)!.arn!]));
  const own: Array<[string, (a: Args) => string | undefined]> = [
    ['aws_sqs_queue_policy', (a) => queueArnByUrl.get(str(a.queue_url) ?? '')],
    ['aws_sns_topic_policy', (a) => str(a.arn)],
    ['aws_s3_bucket_policy', (a) => `arn:aws:s3:::${str(a.bucket)}`],
  ];
  for (const [type, target] of own) {
    for (const r of ofType(rs, type)) {
      const a = resolvedArgs(r, t);
      const arn = target(a);
      if (!arn) throw new PolicyPlanError(`${r.address}: the policy names no resource of the stack`);
      policies.set(arn, parsePolicy(a.policy, r.address));
    }
  }
  for (const r of ofType(rs, 'aws_lambda_permission')) {
    const a = resolvedArgs(r, t);
    const fn = str(a.function_name)!;
    const arn = fn.startsWith('arn:') ? fn.replace(/:\$LATEST$/, '') : `arn:aws:lambda:${n.region}:${accountId}:function:${fn}`;
    const doc = policies.get(arn) ?? { Version: '2012-10-17', Statement: [] };
    (doc.Statement as PolicyStatement[]).push(permissionStatement(a, arn));
    policies.set(arn, doc);
  }
  return policies;
}

/** Queue, topic, table, bucket -> customer managed key (key ARN, key id or alias). AWS managed keys are not in the plan. */
function buildEncryption(rs: TerraformResource[], t: AttributeTable): Map<string, string> {
  const keys = ofType(rs, 'aws_kms_key').map((r) => t.get(r.address)!);
  const aliases = new Map(ofType(rs, 'aws_kms_alias').map((r) => [t.get(r.address)!.name!, resolvedArgs(r, t).target_key_id as string]));
  const keyArn = (ref: string) => {
    const target = aliases.get(ref) ?? aliases.get(ref.replace(/^arn:aws:kms:[^:]*:\d+:/, '')) ?? ref;
    return keys.find((k) => k.arn === target || k.key_id === target)?.arn;
  };
  const out = new Map<string, string>();
  const add = (resourceArn: string, ref: string | undefined) => {
    const arn = ref && keyArn(ref);
    if (arn) out.set(resourceArn, arn);
  };
  for (const r of [...ofType(rs, 'aws_sqs_queue'), ...ofType(rs, 'aws_sns_topic')]) add(t.get(r.address)!.arn!, str(resolvedArgs(r, t).kms_master_key_id));
  for (const r of ofType(rs, 'aws_cloudwatch_log_group')) add(t.get(r.address)!.arn!, str(resolvedArgs(r, t).kms_key_id));
  for (const r of ofType(rs, 'aws_dynamodb_table')) {
    const sse = firstBlock(resolvedArgs(r, t).server_side_encryption);
    if (sse.enabled === true) add(t.get(r.address)!.arn!, str(sse.kms_key_arn));
  }
  // Default bucket encryption with a KMS key (aws_s3_bucket_server_side_encryption_configuration): the bucket's objects.
  for (const r of ofType(rs, 'aws_s3_bucket_server_side_encryption_configuration')) {
    const a = resolvedArgs(r, t);
    const rule = firstBlock(firstBlock(a.rule).apply_server_side_encryption_by_default);
    if (str(rule.sse_algorithm)?.startsWith('aws:kms')) add(`arn:aws:s3:::${str(a.bucket)}`, str(rule.kms_master_key_id));
  }
  return out;
}

/**
 * A function's log group: `logging_config.log_group`, else `/aws/lambda/<function name>` (Lambda Developer Guide,
 * "Sending Lambda function logs to CloudWatch Logs"). The ARN is the group's, without the `:*` policies add.
 */
function buildFunctionLogGroups(rs: TerraformResource[], t: AttributeTable, n: LocalNaming): Map<string, string> {
  return new Map(
    ofType(rs, 'aws_lambda_function').map((r) => {
      const name = t.get(r.address)!.function_name!;
      const group = str(firstBlock(resolvedArgs(r, t).logging_config).log_group) ?? `/aws/lambda/${name}`;
      return [name, logGroupArn(n.region, group)] as [string, string];
    }),
  );
}

/** Every policy of the stack; an unparsable policy, an unknown managed policy or condition operator stops startup. */
export function buildIamPlan(json: TerraformJson, naming: LocalNaming): IamPlan {
  const rs = resourcesOf(json);
  const t = attributeTable(rs, naming);
  const accountId = LOCAL_ACCOUNT_ID;
  return {
    accountId,
    region: naming.region,
    roles: buildRoles(rs, t, accountId),
    resourcePolicies: buildResourcePolicies(rs, t, naming, accountId),
    encryptedWith: buildEncryption(rs, t),
    functionLogGroups: buildFunctionLogGroups(rs, t, naming),
    functionRoles: new Map(ofType(rs, 'aws_lambda_function').map((r) => [t.get(r.address)!.function_name!, str(resolvedArgs(r, t).role) ?? ''] as [string, string])),
  };
}
