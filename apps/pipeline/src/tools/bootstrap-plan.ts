import { denyInsecureTransport, policyJson, type PolicyStatement } from '@lean-ops/modules';

/**
 * What the Terraform state bucket must look like, and whether what S3 answers already matches it. Pure: the
 * S3 calls are in bootstrap-steps.ts. Shapes follow the S3 API (GetBucketVersioning, GetBucketEncryption, ...).
 */

/** Old state versions are kept this long after being replaced (rollback of a bad apply); then they expire. */
export const STATE_NONCURRENT_VERSION_DAYS = 90;
export const STATE_LIFECYCLE_RULE_ID = 'expire-noncurrent-state-versions';
/** Sid of the TLS-only statement this tool adds to the bucket policy. */
export const TLS_ONLY_SID = 'DenyInsecureTransport';

export const bucketArn = (bucket: string, partition = 'aws') => `arn:${partition}:s3:::${bucket}`;

export function versioningDone(status: string | undefined): boolean {
  return status === 'Enabled';
}

/** SSE-KMS with the AWS managed key `aws/s3` (no key to create before the stack exists), with an S3 Bucket Key. */
export const ENCRYPTION_RULE = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const }, BucketKeyEnabled: true };

export function encryptionDone(rules: Array<{ ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }> | undefined): boolean {
  return (rules ?? []).some((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms');
}

export const PUBLIC_ACCESS_BLOCK = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export function publicAccessBlockDone(c: Partial<typeof PUBLIC_ACCESS_BLOCK> | undefined): boolean {
  return !!c && Object.keys(PUBLIC_ACCESS_BLOCK).every((k) => c[k as keyof typeof PUBLIC_ACCESS_BLOCK] === true);
}

interface RawStatement {
  Sid?: string;
  Effect?: string;
  Condition?: { Bool?: Record<string, unknown> };
}

function statementsOf(policy: string | undefined): RawStatement[] {
  if (!policy) return [];
  const doc = JSON.parse(policy) as { Statement?: RawStatement | RawStatement[] };
  return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
}

export function tlsOnlyDone(policy: string | undefined): boolean {
  return statementsOf(policy).some((s) => s.Effect === 'Deny' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false');
}

/** The bucket policy with the TLS-only statement added; statements someone else put there are kept. */
export function withTlsOnly(policy: string | undefined, arn: string): string {
  const ours: PolicyStatement = { ...denyInsecureTransport(arn), sid: TLS_ONLY_SID };
  const rendered = (JSON.parse(policyJson([ours])) as { Statement: RawStatement[] }).Statement[0];
  const others = statementsOf(policy).filter((s) => s.Sid !== TLS_ONLY_SID);
  return JSON.stringify({ Version: '2012-10-17', Statement: [...others, rendered] });
}

export interface LifecycleRule {
  ID?: string;
  Status?: string;
  Filter?: { Prefix?: string };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
}

export const STATE_LIFECYCLE_RULE: LifecycleRule = {
  ID: STATE_LIFECYCLE_RULE_ID,
  Status: 'Enabled',
  Filter: { Prefix: '' },
  NoncurrentVersionExpiration: { NoncurrentDays: STATE_NONCURRENT_VERSION_DAYS },
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
};

export function lifecycleDone(rules: LifecycleRule[] | undefined): boolean {
  return (rules ?? []).some((r) => r.Status === 'Enabled' && (r.NoncurrentVersionExpiration?.NoncurrentDays ?? 0) > 0);
}

/** The lifecycle rules with ours added (PutBucketLifecycleConfiguration replaces the whole set). */
export function withStateLifecycle(rules: LifecycleRule[] | undefined): LifecycleRule[] {
  return [...(rules ?? []).filter((r) => r.ID !== STATE_LIFECYCLE_RULE_ID), STATE_LIFECYCLE_RULE];
}
