import { evaluate } from './evaluate-policy';
import type { IamPlan } from './iam-plan';
import { ADMINISTRATOR_ACCESS } from './managed-policies';
import type { Decision, Principal, RequestContext } from './policy-types';

export interface DeniedCall {
  principal: string;
  action: string;
  resource: string;
  count: number;
}

export interface Denial {
  decision: Exclude<Decision, 'allow'>;
  principal: Principal;
  principalArn: string;
  action: string;
  resource: string;
  /** The denial concerns the KMS key of an encrypted queue or topic, not the resource itself. */
  kms: boolean;
}

/** One call to authorize: the action on the resource, and the KMS actions its encrypted queue or topic needs. */
export interface CallToAuthorize {
  principal: Principal;
  action: string;
  resource: string;
  keys?: Record<string, string>;
  /** Further resources the same action must be allowed on (Glue authorizes a table call on its catalog and database too). */
  alsoOn?: string[];
  /** KMS actions the service performs with the resource's key on the caller's behalf (SQS/SNS SSE). */
  kms?: { actions: string[]; viaService: string; context?: Record<string, string> };
}

export function principalArnOf(p: Principal, accountId: string): string {
  if (p.kind === 'role') return `arn:aws:sts::${accountId}:assumed-role/${p.roleArn.split('/').pop()}/${p.session}`;
  return p.kind === 'service' ? p.service : p.arn;
}

export interface AllowedCalls {
  principal: string;
  action: string;
  count: number;
}

/**
 * Decides every call a principal makes against the plan's policies; remembers each denial (principal, action,
 * resource, count) for the report and logs it. Decisions are cached: the policies do not change while the stack runs.
 */
export class Authorizer {
  private readonly cache = new Map<string, Decision>();
  private readonly deniedCalls = new Map<string, DeniedCall>();
  private readonly allowedCalls = new Map<string, AllowedCalls>();

  constructor(
    readonly plan: IamPlan,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get accountId(): string {
    return this.plan.accountId;
  }

  decide(ctx: RequestContext): Decision {
    const p = ctx.principal;
    const who = p.kind === 'role' ? p.roleArn : p.kind === 'service' ? p.service : p.arn;
    const id = `${who}\u0000${ctx.action}\u0000${ctx.resource}\u0000${JSON.stringify(ctx.keys ?? {})}`;
    let d = this.cache.get(id);
    if (d === undefined) {
      const identity = p.kind === 'role' ? (this.plan.roles.get(p.roleArn) ?? []) : p.kind === 'admin' ? [ADMINISTRATOR_ACCESS] : [];
      const resourcePolicy = this.resourcePolicyOf(ctx.resource);
      d = evaluate(ctx, { accountId: this.accountId, identity, ...(resourcePolicy ? { resource: resourcePolicy } : {}), keyPolicy: ctx.resource.startsWith('arn:aws:kms:') });
      this.cache.set(id, d);
    }
    return d;
  }

  /** The call and the KMS calls behind it; the first denial is logged, counted and returned. */
  authorize(call: CallToAuthorize): Denial | undefined {
    // The plain-HTTP local endpoints stand in for AWS's HTTPS ones, which every SDK call uses: the request is secure.
    const base = { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': this.accountId, ...(call.keys ?? {}) };
    const checks: Array<{ action: string; resource: string; keys: Record<string, string>; kms: boolean }> = [call.resource, ...(call.alsoOn ?? [])].map((resource) => ({
      action: call.action,
      resource,
      keys: base,
      kms: false,
    }));
    const key = call.kms && this.keyOf(call.resource);
    if (call.kms && key) {
      const keys = { ...base, 'kms:ViaService': call.kms.viaService, ...(call.kms.context ?? {}) };
      for (const action of call.kms.actions) checks.push({ action, resource: key, keys, kms: true });
    }
    for (const c of checks) {
      const decision = this.decide({ principal: call.principal, action: c.action, resource: c.resource, keys: c.keys });
      if (decision === 'allow') continue;
      const denial: Denial = { decision, principal: call.principal, principalArn: principalArnOf(call.principal, this.accountId), action: c.action, resource: c.resource, kms: c.kms };
      this.record(denial);
      return denial;
    }
    this.countAllowed(principalArnOf(call.principal, this.accountId), call.action);
    return undefined;
  }

  /** Allowed calls so far by principal and action (what each role really calls, e.g. per record or per batch). */
  allowed(): AllowedCalls[] {
    return [...this.allowedCalls.values()].sort((a, b) => a.principal.localeCompare(b.principal) || a.action.localeCompare(b.action));
  }

  private countAllowed(principal: string, action: string): void {
    const id = `${principal}\u0000${action}`;
    const row = this.allowedCalls.get(id) ?? { principal, action, count: 0 };
    row.count += 1;
    this.allowedCalls.set(id, row);
  }

  /** Denied calls so far, most frequent first. */
  denied(): DeniedCall[] {
    return [...this.deniedCalls.values()].sort((a, b) => b.count - a.count || a.principal.localeCompare(b.principal));
  }

  private record(d: Denial): void {
    this.countDenied(d);
    this.log(`iam: AccessDenied ${d.decision}: principal ${d.principalArn} action ${d.action} resource ${d.resource}`);
  }

  /** Counts one more call refused as `d` was, without logging it again (calls repeated per log line). */
  countDenied(d: Denial): void {
    const id = `${d.principalArn}\u0000${d.action}\u0000${d.resource}`;
    const row = this.deniedCalls.get(id) ?? { principal: d.principalArn, action: d.action, resource: d.resource, count: 0 };
    row.count += 1;
    this.deniedCalls.set(id, row);
  }

  /** The key a resource is encrypted with; an object takes its bucket's default encryption. */
  private keyOf(arn: string): string | undefined {
    return this.plan.encryptedWith.get(arn) ?? (arn.startsWith('arn:aws:s3:::') ? this.plan.encryptedWith.get(arn.split('/')[0]!) : undefined);
  }

  /** Bucket policies cover the bucket's objects too (`arn:aws:s3:::bucket/key`). */
  private resourcePolicyOf(arn: string) {
    return this.plan.resourcePolicies.get(arn) ?? (arn.startsWith('arn:aws:s3:::') ? this.plan.resourcePolicies.get(arn.split('/')[0]!) : undefined);
  }
}

/** IAM's message for a denied call (IAM User Guide, "Troubleshoot access denied error messages"). */
export function deniedMessage(d: Denial): string {
  const why = d.decision === 'explicit-deny' ? 'with an explicit deny in a policy' : `because no identity-based policy allows the ${d.action} action`;
  return `User: ${d.principalArn} is not authorized to perform: ${d.action} on resource: ${d.resource} ${why}`;
}
