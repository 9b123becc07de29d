import { parseDocument, type ResourceChangeValues, type Value } from './plan-review-attributes';

/**
 * IAM widening: a grant (effect Allow of an action on a resource to a principal, under a condition) that the
 * `after` side of a change has and that no grant of the `before` side covers. Wildcards in the old grant cover
 * what they match (`sqs:*` covers `sqs:SendMessage`), as IAM evaluates them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html); a removed condition
 * or a new NotAction / NotResource counts as widening.
 */

/** Attributes that hold a policy document, by resource type. */
export const POLICY_ATTRIBUTES: Record<string, string[]> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_kms_key: ['policy'],
  aws_sqs_queue: ['policy'],
  aws_sns_topic: ['policy'],
  aws_glue_resource_policy: ['policy'],
  aws_lambda_permission: [],
  aws_iam_role_policy_attachment: [],
  aws_iam_policy_attachment: [],
};

export interface Grant {
  action: string;
  resource: string;
  principal: string;
  condition: string;
}

const list = (v: Value | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function principals(p: Value | undefined): string[] {
  if (p === undefined || p === null) return [''];
  if (typeof p === 'string') return [p];
  if (typeof p === 'object' && !Array.isArray(p)) return Object.entries(p).flatMap(([kind, ids]) => list(ids).map((id) => `${kind}:${id}`));
  return [''];
}

/** Every Allow grant of a policy document, one per action x resource x principal. */
export function grantsOf(document: Value | undefined): Grant[] {
  const statements = (document as { Statement?: Value } | undefined)?.Statement;
  const out: Grant[] = [];
  for (const s of Array.isArray(statements) ? statements : statements ? [statements] : []) {
    if (typeof s !== 'object' || s === null || Array.isArray(s) || s.Effect !== 'Allow') continue;
    const actions = [...list(s.Action), ...list(s.NotAction).map((a) => `NotAction ${a}`)];
    const resources = s.Resource !== undefined || s.NotResource !== undefined ? [...list(s.Resource), ...list(s.NotResource).map((r) => `NotResource ${r}`)] : ['*'];
    const condition = s.Condition ? JSON.stringify(s.Condition) : '';
    for (const action of actions) for (const resource of resources) for (const principal of principals(s.Principal)) out.push({ action, resource, principal, condition });
  }
  return out;
}

/** IAM wildcard match: `*` any run of characters, `?` one; actions compare case-insensitively. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
}

const covers = (old: Grant, g: Grant) =>
  matches(old.action, g.action, true) && matches(old.resource, g.resource) && matches(old.principal, g.principal) && (old.condition === '' || old.condition === g.condition);

/** Grants of `after` that nothing in `before` covers. */
export function newGrants(before: Grant[], after: Grant[]): Grant[] {
  return after.filter((g) => !before.some((old) => covers(old, g)));
}

/** Grants a resource's values make, whatever its kind: policy documents, Lambda permissions, attachments. */
export function grantsOfResource(type: string, values: Value | undefined): Grant[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  if (type === 'aws_lambda_permission') {
    return [{ action: String(values.action ?? ''), resource: String(values.function_name ?? '*'), principal: String(values.principal ?? ''), condition: String(values.source_arn ?? '') }];
  }
  if (type === 'aws_iam_role_policy_attachment' || type === 'aws_iam_policy_attachment') {
    return [{ action: `attach ${String(values.policy_arn ?? '')}`, resource: String(values.role ?? values.name ?? ''), principal: '', condition: '' }];
  }
  return (POLICY_ATTRIBUTES[type] ?? []).flatMap((attribute) => grantsOf(parseDocument(values[attribute])));
}

export interface Widening {
  grants: Grant[];
  /** The new policy is only known after apply: it could not be compared. */
  unknown: boolean;
}

/**
 * What a change adds to IAM. A created resource is compared with nothing, so all its grants are new: callers
 * skip creates where everything is new anyway (a plan against an empty state).
 */
export function wideningOf(type: string, change: ResourceChangeValues & { actions: string[] }): Widening | undefined {
  if (!(type in POLICY_ATTRIBUTES) || (!change.actions.includes('create') && !change.actions.includes('update'))) return undefined;
  const attributes = POLICY_ATTRIBUTES[type] ?? [];
  const unknownMarks = change.after_unknown;
  const unknown = unknownMarks === true || (typeof unknownMarks === 'object' && unknownMarks !== null && attributes.some((a) => (unknownMarks as Record<string, unknown>)[a] === true));
  if (unknown) return { grants: [], unknown: true };
  // A replacement is compared with what it replaces; only a new resource is compared with nothing.
  const grants = newGrants(grantsOfResource(type, change.before ?? null), grantsOfResource(type, change.after));
  return grants.length ? { grants, unknown: false } : undefined;
}

export const describeGrant = (g: Grant) =>
  `\`${g.action}\` on \`${g.resource}\`${g.principal ? ` to \`${g.principal}\`` : ''}${g.condition ? ` if \`${g.condition.length > 80 ? `${g.condition.slice(0, 79)}…` : g.condition}\`` : ''}`;
