import type { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformResource, TerraformStack, Tokenization, type IAspect } from 'cdktf';
import { allowsWildcardResource, isWildcardAction } from './iam-rules';

/** The rules, worded as they appear in findings (`<construct path>: <rule>`). */
export const SECURITY_RULES = {
  s3Kms: 'S3 bucket must have default SSE-KMS encryption (aws_s3_bucket_server_side_encryption_configuration with aws:kms)',
  s3PublicAccess: 'S3 bucket must block all public access (aws_s3_bucket_public_access_block with all four settings true)',
  s3Tls: 'S3 bucket policy must deny requests without TLS (Deny when aws:SecureTransport is false)',
  s3Versioning: 'S3 bucket must have versioning enabled',
  sqsKms: 'SQS queue must be encrypted with KMS (kms_master_key_id)',
  snsKms: 'SNS topic must be encrypted with KMS (kms_master_key_id)',
  dynamodbPitr: 'DynamoDB table must have point-in-time recovery enabled',
  dynamodbKms: 'DynamoDB table must have server-side encryption with KMS enabled',
  logRetention: 'CloudWatch log group must set retention_in_days',
  iamWildcardAction: 'IAM statement must not allow "*" or "service:*" actions',
  iamNotAction: 'IAM statement must not Allow with NotAction',
  iamWildcardResource: 'IAM statement must not use Resource "*" for actions that support resource-level permissions',
  iamUnreadable: 'IAM policy must be literal JSON so that it can be checked',
  s3WriteScope: 'IAM statement allowing s3:PutObject or s3:DeleteObject must name a key prefix, not every object of a bucket (<bucket>/*)',
  kmsViaService: 'IAM statement allowing KMS data-key use (kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*) must carry a kms:ViaService condition',
  lambdaSecretEnv: 'Lambda environment variable name looks like a secret; use Secrets Manager or SSM instead',
} as const;

export interface SecurityFinding {
  /** Construct path of the offending resource. */
  path: string;
  rule: string;
}

export class SecurityFindingsError extends Error {
  constructor(readonly findings: readonly SecurityFinding[]) {
    super(`SecurityAspect: ${findings.length} finding(s):\n${findings.map((f) => `  ${f.path}: ${f.rule}`).join('\n')}`);
    this.name = 'SecurityFindingsError';
  }
}

/**
 * Fails the synth of any stack it is added to when a resource breaks a security rule. It reads the resolved
 * Terraform config of every resource and data source, so it checks any construct, not only the modules.
 */
export class SecurityAspect implements IAspect {
  visit(node: IConstruct): void {
    // Aspects visit the stack first; checking there sees all resources at once (buckets need their siblings).
    if (!TerraformStack.isStack(node)) return;
    const findings = securityFindings(node);
    if (findings.length > 0) throw new SecurityFindingsError(findings);
  }
}

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY/i;

interface Element {
  kind: 'resource' | 'data';
  type: string;
  id: string;
  path: string;
  attrs: Record<string, unknown>;
}

/** Every finding in a stack (empty when it is clean). */
export function securityFindings(stack: TerraformStack): SecurityFinding[] {
  const elements = collect(stack);
  const findings: SecurityFinding[] = [];
  const add = (e: Element, rule: string) => findings.push({ path: e.path, rule });
  const byType = (type: string) => elements.filter((e) => e.kind === 'resource' && e.type === type);

  for (const bucket of byType('aws_s3_bucket')) {
    const refs = (e: Element) => refersToBucket(e.attrs.bucket, bucket);
    const sse = byType('aws_s3_bucket_server_side_encryption_configuration').filter(refs);
    const inlineSse = list(bucket.attrs.server_side_encryption_configuration);
    const kms = [...sse.flatMap((s) => list(s.attrs.rule)), ...inlineSse.flatMap((c) => list(obj(c).rule))].some((r) =>
      list(obj(r).apply_server_side_encryption_by_default).some((d) => String(obj(d).sse_algorithm).startsWith('aws:kms')),
    );
    if (!kms) add(bucket, SECURITY_RULES.s3Kms);

    const pab = byType('aws_s3_bucket_public_access_block').filter(refs);
    const blocked = pab.some((b) => ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => b.attrs[k] === true));
    if (!blocked) add(bucket, SECURITY_RULES.s3PublicAccess);

    const policies = [
      ...byType('aws_s3_bucket_policy')
        .filter(refs)
        .map((p) => p.attrs.policy),
      bucket.attrs.policy,
    ];
    if (!policies.some(deniesInsecureTransport)) add(bucket, SECURITY_RULES.s3Tls);

    const versioned =
      byType('aws_s3_bucket_versioning')
        .filter(refs)
        .some((v) => list(v.attrs.versioning_configuration).some((c) => obj(c).status === 'Enabled')) || list(bucket.attrs.versioning).some((v) => obj(v).enabled === true);
    if (!versioned) add(bucket, SECURITY_RULES.s3Versioning);
  }

  for (const q of byType('aws_sqs_queue')) if (!nonEmpty(q.attrs.kms_master_key_id)) add(q, SECURITY_RULES.sqsKms);
  for (const t of byType('aws_sns_topic')) if (!nonEmpty(t.attrs.kms_master_key_id)) add(t, SECURITY_RULES.snsKms);
  for (const t of byType('aws_dynamodb_table')) {
    if (!list(t.attrs.point_in_time_recovery).some((p) => obj(p).enabled === true)) add(t, SECURITY_RULES.dynamodbPitr);
    if (!list(t.attrs.server_side_encryption).some((s) => obj(s).enabled === true)) add(t, SECURITY_RULES.dynamodbKms);
  }
  for (const g of byType('aws_cloudwatch_log_group')) {
    const days = g.attrs.retention_in_days;
    if (!(typeof days === 'number' && days > 0) && !(typeof days === 'string' && days.length > 0)) add(g, SECURITY_RULES.logRetention);
  }
  for (const f of byType('aws_lambda_function')) {
    const vars = list(f.attrs.environment).flatMap((e) => Object.keys(obj(obj(e).variables)));
    for (const name of vars.filter((v) => SECRET_NAME.test(v))) add(f, `${SECURITY_RULES.lambdaSecretEnv} (${name})`);
  }

  for (const e of elements) {
    for (const rule of policyFindings(e)) add(e, rule);
  }
  return findings;
}

function collect(stack: TerraformStack): Element[] {
  const resolver = new DefaultTokenResolver(new StringConcat());
  const out: Element[] = [];
  for (const c of stack.node.findAll()) {
    if (!(c instanceof TerraformResource) && !(c instanceof TerraformDataSource)) continue;
    const tf = Tokenization.resolve(c.toTerraform(), { scope: stack, resolver }) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    const kind = tf.resource ? 'resource' : 'data';
    for (const [type, byId] of Object.entries(tf[kind] ?? {})) {
      for (const [id, attrs] of Object.entries(byId)) out.push({ kind, type, id, path: c.node.path, attrs });
    }
  }
  return out;
}

/** `bucket = aws_s3_bucket.x.id` (or `.bucket`), or the bucket's literal name. */
function refersToBucket(value: unknown, bucket: Element): boolean {
  if (typeof value !== 'string') return false;
  const m = /^\$\{aws_s3_bucket\.([^.}]+)\.(id|bucket)\}$/.exec(value);
  if (m) return m[1] === bucket.id;
  return typeof bucket.attrs.bucket === 'string' && value === bucket.attrs.bucket;
}

function deniesInsecureTransport(policy: unknown): boolean {
  const doc = parsePolicy(policy);
  if (!doc) return false;
  return doc.some((s) => {
    const cond = obj(obj(s.Condition).Bool);
    return s.Effect === 'Deny' && String(cond['aws:SecureTransport']) === 'false';
  });
}

interface Statement {
  Effect?: string;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

function parsePolicy(policy: unknown): Statement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    return list(doc.Statement).map((s) => obj(s) as Statement);
  } catch {
    return undefined;
  }
}

const POLICY_ATTRIBUTES = ['policy', 'assume_role_policy'];

const OBJECT_WRITES = new Set(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']);
const KMS_DATA_KEY = /^kms:(Decrypt|Encrypt|GenerateDataKey.*|ReEncrypt.*)$/;
/** Every object of a bucket: `<bucket ARN>/*`, literal or as a reference to a bucket's ARN. */
const WHOLE_BUCKET_OBJECTS = /^(arn:[^:]+:s3:::[^/]+|\$\{[^}]+\})\/\*$/;
// Identity policies only: key policies name service principals with their own conditions, bucket policies deny.
const IDENTITY_POLICY_TYPES = new Set(['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role', 'aws_iam_user_policy', 'aws_iam_group_policy']);

interface CheckedStatement {
  effect: unknown;
  actions: string[];
  notActions: string[];
  resources: string[] | undefined;
  /** Condition keys used, whatever the operator (`kms:ViaService`, ...). */
  conditionKeys: string[];
}

function policyFindings(e: Element): string[] {
  const rules: string[] = [];
  // In a key policy `Resource: "*"` means the key itself.
  const resourceIsSelf = e.type === 'aws_kms_key';
  const identity = IDENTITY_POLICY_TYPES.has(e.type) || (e.kind === 'data' && e.type === 'aws_iam_policy_document');
  const check = (st: CheckedStatement) => {
    if ((st.effect ?? 'Allow') !== 'Allow') return;
    const { actions, resources } = st;
    const wild = actions.filter(isWildcardAction);
    if (wild.length) rules.push(`${SECURITY_RULES.iamWildcardAction} (${wild.join(', ')})`);
    if (st.notActions.length) rules.push(SECURITY_RULES.iamNotAction);
    if (!resourceIsSelf && resources?.includes('*') && !allowsWildcardResource(actions)) {
      rules.push(`${SECURITY_RULES.iamWildcardResource} (${actions.join(', ')})`);
    }
    if (!identity) return;
    const wholeBuckets = (resources ?? []).filter((r) => WHOLE_BUCKET_OBJECTS.test(r));
    if (actions.some((a) => OBJECT_WRITES.has(a)) && wholeBuckets.length > 0) rules.push(`${SECURITY_RULES.s3WriteScope} (${wholeBuckets.join(', ')})`);
    if (actions.some((a) => KMS_DATA_KEY.test(a)) && !st.conditionKeys.includes('kms:ViaService')) rules.push(SECURITY_RULES.kmsViaService);
  };

  if (e.kind === 'data' && e.type === 'aws_iam_policy_document') {
    for (const s of list(e.attrs.statement).map(obj)) {
      check({
        effect: s.effect,
        actions: strings(s.actions),
        notActions: strings(s.not_actions),
        resources: s.resources === undefined ? undefined : strings(s.resources),
        conditionKeys: list(s.condition).map((c) => String(obj(c).variable)),
      });
    }
    return rules;
  }
  if (e.kind !== 'resource') return rules;
  const docs: unknown[] = [...POLICY_ATTRIBUTES.map((a) => e.attrs[a]).filter((v) => v !== undefined), ...list(e.attrs.inline_policy).map((p) => obj(p).policy)];
  for (const doc of docs) {
    const statements = parsePolicy(doc);
    if (!statements) {
      rules.push(SECURITY_RULES.iamUnreadable);
      continue;
    }
    for (const s of statements) {
      check({
        effect: s.Effect,
        actions: strings(s.Action),
        notActions: strings(s.NotAction),
        resources: s.Resource === undefined ? undefined : strings(s.Resource),
        conditionKeys: Object.values(obj(s.Condition)).flatMap((byKey) => Object.keys(obj(byKey))),
      });
    }
  }
  return rules;
}

function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function strings(v: unknown): string[] {
  return list(v).map(String);
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}
