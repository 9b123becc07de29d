/** IAM policy documents as typed statements, rendered to the JSON that IAM, S3, SQS and KMS accept. */

export type Principal = { AWS: string | string[] } | { Service: string | string[] } | '*';

export interface PolicyStatement {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  principal?: Principal;
  actions: string[];
  /** Omitted only in trust policies, where the role is the resource. */
  resources?: string[];
  conditions?: Record<string, Record<string, string | string[]>>;
}

export function policyJson(statements: PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      ...(s.principal ? { Principal: s.principal } : {}),
      Action: s.actions,
      ...(s.resources ? { Resource: s.resources } : {}),
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** A bucket policy statement that refuses every request not made over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principal: '*',
    actions: ['s3:*'],
    resources: [bucketArn, `${bucketArn}/*`],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
