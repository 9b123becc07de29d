/** IAM JSON policy language (IAM User Guide, "IAM JSON policy elements reference"). */
export type OneOrMany<T> = T | T[];

export type PolicyPrincipal = '*' | { AWS?: OneOrMany<string>; Service?: OneOrMany<string>; Federated?: OneOrMany<string> };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  /** operator -> condition key -> value(s). */
  Condition?: Record<string, Record<string, OneOrMany<string | boolean | number>>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: OneOrMany<PolicyStatement>;
}

/** Who makes a request: an IAM role (a function's execution role), a service principal, or the account's administrator. */
export type Principal =
  { kind: 'role'; roleArn: string; /** The session (function) name, for the assumed-role ARN in messages. */ session: string } | { kind: 'service'; service: string } | { kind: 'admin'; arn: string };

/** The request context of one call (IAM User Guide, "Policy evaluation logic": processing the request context). */
export interface RequestContext {
  principal: Principal;
  action: string;
  resource: string;
  /** Condition keys of the request (`kms:ViaService`, `aws:SourceAccount`, ...); absent keys are absent. */
  keys?: Record<string, string>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export const statementsOf = (doc: PolicyDocument): PolicyStatement[] => (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]);
export const listOf = <T>(v: OneOrMany<T> | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
