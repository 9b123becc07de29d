import { conditionsHold } from './conditions';
import { actionMatches, arnMatches } from './match-pattern';
import { listOf, statementsOf, type Decision, type PolicyDocument, type PolicyPrincipal, type PolicyStatement, type Principal, type RequestContext } from './policy-types';

/** Whether a statement's Action/NotAction and Resource/NotResource cover the request (IAM JSON policy elements reference). */
function coversRequest(s: PolicyStatement, ctx: RequestContext): boolean {
  const action = s.Action !== undefined ? listOf(s.Action).some((p) => actionMatches(p, ctx.action)) : !listOf(s.NotAction).some((p) => actionMatches(p, ctx.action));
  if (!action) return false;
  // Identity policies must name a Resource; a resource policy statement without one covers its own resource.
  if (s.Resource === undefined && s.NotResource === undefined) return true;
  return s.Resource !== undefined ? listOf(s.Resource).some((p) => arnMatches(p, ctx.resource)) : !listOf(s.NotResource).some((p) => arnMatches(p, ctx.resource));
}

/** The principal's ARNs as a resource policy may name them: the role, its assumed-role session. */
function principalArns(p: Principal, accountId: string): string[] {
  if (p.kind === 'role') {
    const roleName = p.roleArn.split('/').pop()!;
    return [p.roleArn, `arn:aws:sts::${accountId}:assumed-role/${roleName}/${p.session}`];
  }
  return p.kind === 'admin' ? [p.arn] : [];
}

const isAccount = (v: string, accountId: string) => v === accountId || v === `arn:aws:iam::${accountId}:root`;

/**
 * How a resource policy's Principal names the caller: directly (`*`, the role's ARN, the service), through the
 * account (`arn:aws:iam::<account>:root`: the account's IAM policies decide, IAM User Guide "AWS JSON policy
 * elements: Principal", AWS account principals), or not at all.
 */
function principalMatch(element: PolicyPrincipal | undefined, p: Principal, accountId: string): 'direct' | 'account' | 'none' {
  if (element === undefined) return 'none';
  if (element === '*') return 'direct';
  const aws = listOf(element.AWS);
  if (aws.includes('*')) return 'direct';
  if (p.kind === 'service') return listOf(element.Service).includes(p.service) ? 'direct' : 'none';
  if (principalArns(p, accountId).some((a) => aws.includes(a))) return 'direct';
  return aws.some((a) => isAccount(a, accountId)) ? 'account' : 'none';
}

/** NotPrincipal covers every principal it does not name (IAM JSON policy elements: NotPrincipal). */
function statementPrincipal(s: PolicyStatement, p: Principal, accountId: string): 'direct' | 'account' | 'none' {
  if (s.NotPrincipal === undefined) return principalMatch(s.Principal, p, accountId);
  return principalMatch(s.NotPrincipal, p, accountId) === 'none' ? 'direct' : 'none';
}

export interface EvaluationInput {
  accountId: string;
  /** Identity-based policies of the principal (none for a service principal). */
  identity: readonly PolicyDocument[];
  /** The resource's own policy (queue, topic, bucket, key policy, function policy), if it has one. */
  resource?: PolicyDocument;
  /**
   * KMS keys: identity policies count only when the key policy lets the account's IAM policies in (a statement
   * naming the account root); the key policy alone decides otherwise (KMS Developer Guide, "Key policies": default key policy).
   */
  keyPolicy?: boolean;
}

/**
 * The decision for one request within one account (IAM User Guide, "Policy evaluation logic" and "Policy
 * evaluation for requests within a single account"): an explicit Deny in any policy wins; otherwise an Allow in
 * either the identity policies or the resource policy allows; otherwise the request is implicitly denied.
 */
export function evaluate(ctx: RequestContext, input: EvaluationInput): Decision {
  const keys = ctx.keys ?? {};
  const applies = (s: PolicyStatement) => coversRequest(s, ctx) && conditionsHold(s, keys);
  const identity = input.identity.flatMap(statementsOf).filter(applies);
  const resource = (input.resource ? statementsOf(input.resource) : []).filter(applies).map((s) => ({ s, via: statementPrincipal(s, ctx.principal, input.accountId) }));
  if (identity.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  if (resource.some((r) => r.s.Effect === 'Deny' && r.via !== 'none')) return 'explicit-deny';
  if (resource.some((r) => r.s.Effect === 'Allow' && r.via === 'direct')) return 'allow';
  const accountDelegated = !input.keyPolicy || resource.some((r) => r.s.Effect === 'Allow' && r.via === 'account');
  return accountDelegated && identity.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}
