import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ENCRYPTION_RULE,
  PUBLIC_ACCESS_BLOCK,
  encryptionDone,
  lifecycleDone,
  publicAccessBlockDone,
  tlsOnlyDone,
  versioningDone,
  withStateLifecycle,
  withTlsOnly,
  type LifecycleRule,
} from './bootstrap-plan';

/** One idempotent step: `check` reads the bucket (true = already as wanted), `apply` changes it. */
export interface BootstrapStep {
  name: string;
  check(): Promise<boolean>;
  apply(): Promise<void>;
}

export interface StateBucket {
  name: string;
  region: string;
  arn: string;
  /** Expected owner (the environment's first account); omitted against a custom endpoint. */
  owner?: string;
}

const errorName = (e: unknown) => (e as { name?: string })?.name ?? '';
const httpStatus = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/** The "not configured yet" answers of the Get calls (S3 API reference, error codes). */
const NOT_CONFIGURED = new Set(['ServerSideEncryptionConfigurationNotFoundError', 'NoSuchPublicAccessBlockConfiguration', 'NoSuchBucketPolicy', 'NoSuchLifecycleConfiguration']);

async function orNotConfigured<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (NOT_CONFIGURED.has(errorName(e))) return undefined;
    throw e;
  }
}

export function stateBucketSteps(s3: S3Client, b: StateBucket): BootstrapStep[] {
  const Bucket = b.name;
  const owner = b.owner ? { ExpectedBucketOwner: b.owner } : {};
  return [
    {
      name: `bucket ${Bucket} in ${b.region}`,
      check: async () => {
        try {
          await s3.send(new HeadBucketCommand({ Bucket, ...owner }));
          return true;
        } catch (e) {
          if (errorName(e) === 'NotFound' || httpStatus(e) === 404) return false;
          if (httpStatus(e) === 403) throw new Error(`bucket ${Bucket} exists but is not accessible to these credentials${b.owner ? ` or not owned by ${b.owner}` : ''} (403)`);
          throw e;
        }
      },
      // us-east-1 takes no location constraint (S3 API reference, CreateBucket).
      apply: async () => {
        const config = b.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: b.region as BucketLocationConstraint } };
        await s3.send(new CreateBucketCommand({ Bucket, ...config }));
      },
    },
    {
      name: 'versioning enabled (every state version kept)',
      check: async () => versioningDone((await s3.send(new GetBucketVersioningCommand({ Bucket, ...owner }))).Status),
      apply: async () => void (await s3.send(new PutBucketVersioningCommand({ Bucket, ...owner, VersioningConfiguration: { Status: 'Enabled' } }))),
    },
    {
      name: 'default encryption SSE-KMS (aws/s3 key, S3 Bucket Key)',
      check: async () => encryptionDone((await orNotConfigured(() => s3.send(new GetBucketEncryptionCommand({ Bucket, ...owner }))))?.ServerSideEncryptionConfiguration?.Rules),
      apply: async () => void (await s3.send(new PutBucketEncryptionCommand({ Bucket, ...owner, ServerSideEncryptionConfiguration: { Rules: [ENCRYPTION_RULE] } }))),
    },
    {
      name: 'public access blocked (all four settings)',
      check: async () => publicAccessBlockDone((await orNotConfigured(() => s3.send(new GetPublicAccessBlockCommand({ Bucket, ...owner }))))?.PublicAccessBlockConfiguration),
      apply: async () => void (await s3.send(new PutPublicAccessBlockCommand({ Bucket, ...owner, PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCK }))),
    },
    {
      name: 'bucket policy denies requests without TLS',
      check: async () => tlsOnlyDone((await orNotConfigured(() => s3.send(new GetBucketPolicyCommand({ Bucket, ...owner }))))?.Policy),
      apply: async () => {
        const current = (await orNotConfigured(() => s3.send(new GetBucketPolicyCommand({ Bucket, ...owner }))))?.Policy;
        await s3.send(new PutBucketPolicyCommand({ Bucket, ...owner, Policy: withTlsOnly(current, b.arn) }));
      },
    },
    {
      name: 'noncurrent state versions expire',
      check: async () => lifecycleDone(await lifecycleRules(s3, Bucket, owner)),
      apply: async () => {
        const rules = withStateLifecycle(await lifecycleRules(s3, Bucket, owner));
        await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, ...owner, LifecycleConfiguration: { Rules: rules as never } }));
      },
    },
  ];
}

async function lifecycleRules(s3: S3Client, Bucket: string, owner: { ExpectedBucketOwner?: string }): Promise<LifecycleRule[] | undefined> {
  return (await orNotConfigured(() => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket, ...owner }))))?.Rules as LifecycleRule[] | undefined;
}

/**
 * How an S3-compatible server says it has no such bucket subresource: 501 NotImplemented, or 405 MethodNotAllowed
 * (s3rver answers GetBucketPolicy so). Returns the answer's code, or undefined for any other error.
 */
export function unsupportedAnswer(e: unknown): string | undefined {
  if (errorName(e) === 'NotImplemented' || httpStatus(e) === 501) return '501 NotImplemented';
  if (errorName(e) === 'MethodNotAllowed' || httpStatus(e) === 405) return '405 MethodNotAllowed';
  return undefined;
}
