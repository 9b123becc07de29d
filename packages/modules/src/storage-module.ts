import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { BUCKET_KINDS, NAME_PREFIX_PATTERN, names, type BucketKind } from '@lean-ops/contracts';
import { denyInsecureTransport, policyJson } from './policy-document';
import { requireIntInRange, requireProp } from './validation';

const CONSTRUCT = 'StorageModule';

/** Storage classes an archive may move to (the infrequent-access ones have a 30-day minimum age). */
export type ArchiveStorageClass = 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

export interface StorageModuleProps {
  namePrefix: string;
  /** Bucket names end with the account id (bucket names are global). */
  accountId: string;
  /** Default SSE-KMS key of every bucket. */
  kmsKeyArn: string;
  archive: {
    /** Days after which quarantine and DLQ-archive objects move to `storageClass`. */
    transitionDays: number;
    /** Days after which they expire; must be later than the transition. */
    expirationDays: number;
    /** Default GLACIER_IR (no minimum age before transition, millisecond reads for redrive). */
    storageClass?: ArchiveStorageClass;
  };
  /** Days after which noncurrent object versions expire (all buckets). */
  noncurrentVersionDays: number;
  /** Allow `terraform destroy` to delete non-empty buckets. Default false. */
  forceDestroy?: boolean;
}

export interface BucketRef {
  readonly bucket: S3Bucket;
  readonly name: string;
  readonly arn: string;
}

/**
 * Buckets for the Iceberg warehouse, the archive (quarantine, DLQ archive, Firehose errors) and Lambda artifacts.
 * Each one: SSE-KMS with the given key, public access blocked, TLS-only policy, versioning, lifecycle.
 */
export class StorageModule extends Construct {
  readonly buckets: Readonly<Record<BucketKind, BucketRef>>;
  readonly warehouse: BucketRef;
  readonly archive: BucketRef;
  readonly artifacts: BucketRef;

  constructor(scope: Construct, id: string, props: StorageModuleProps) {
    super(scope, id);
    const p = resolveStorageProps(props);

    const buckets = {} as Record<BucketKind, BucketRef>;
    for (const kind of BUCKET_KINDS) {
      const bucket = new S3Bucket(this, kind, {
        bucket: names.bucket(p.namePrefix, kind, p.accountId),
        forceDestroy: p.forceDestroy,
      });
      new S3BucketOwnershipControls(this, `${kind}-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: 'BucketOwnerEnforced' },
      });
      new S3BucketServerSideEncryptionConfigurationA(this, `${kind}-sse`, {
        bucket: bucket.id,
        // The bucket key cuts KMS requests (and cost) for high-volume writes such as Iceberg data files.
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: p.kmsKeyArn }, bucketKeyEnabled: true }],
      });
      new S3BucketPublicAccessBlock(this, `${kind}-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new S3BucketPolicy(this, `${kind}-policy`, { bucket: bucket.id, policy: policyJson([denyInsecureTransport(bucket.arn)]) });
      const versioning = new S3BucketVersioningA(this, `${kind}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
      // AWS requires versioning to be configured before lifecycle rules on noncurrent versions apply.
      new S3BucketLifecycleConfiguration(this, `${kind}-lifecycle`, {
        bucket: bucket.id,
        rule: lifecycleRules(kind, p),
        dependsOn: [versioning],
      });
      buckets[kind] = { bucket, name: bucket.bucket, arn: bucket.arn };
    }
    this.buckets = buckets;
    this.warehouse = buckets.warehouse;
    this.archive = buckets.archive;
    this.artifacts = buckets.artifacts;
  }
}

function lifecycleRules(kind: BucketKind, p: ResolvedStorageProps): S3BucketLifecycleConfigurationRule[] {
  const common: S3BucketLifecycleConfigurationRule = {
    id: 'noncurrent-versions',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    noncurrentVersionExpiration: [{ noncurrentDays: p.noncurrentVersionDays }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
  };
  if (kind !== 'archive') return [common];
  return [
    common,
    {
      id: 'archive-tiering',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      transition: [{ days: p.archive.transitionDays, storageClass: p.archive.storageClass }],
      expiration: [{ days: p.archive.expirationDays }],
    },
  ];
}

type ResolvedStorageProps = StorageModuleProps & { archive: Required<StorageModuleProps['archive']>; forceDestroy: boolean };

function resolveStorageProps(p: StorageModuleProps): ResolvedStorageProps {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  requireProp(/^\d{12}$/.test(p.accountId), CONSTRUCT, 'accountId', p.accountId, 'must be a 12-digit AWS account id', 'set the account id from the environment file');
  const archive = { storageClass: 'GLACIER_IR' as ArchiveStorageClass, ...p.archive };
  requireIntInRange(CONSTRUCT, 'archive.transitionDays', archive.transitionDays, 1, 36500);
  requireIntInRange(CONSTRUCT, 'archive.expirationDays', archive.expirationDays, 1, 36500);
  requireProp(
    archive.expirationDays > archive.transitionDays,
    CONSTRUCT,
    'archive.expirationDays',
    archive.expirationDays,
    `objects must expire after they move to ${archive.storageClass} (transitionDays = ${archive.transitionDays})`,
    `set archive.expirationDays above ${archive.transitionDays} or lower archive.transitionDays`,
  );
  if (archive.storageClass === 'STANDARD_IA' || archive.storageClass === 'ONEZONE_IA') {
    // S3 refuses transitions to the IA classes for objects younger than 30 days.
    requireProp(
      archive.transitionDays >= 30,
      CONSTRUCT,
      'archive.transitionDays',
      archive.transitionDays,
      `S3 moves objects to ${archive.storageClass} only after at least 30 days`,
      'set archive.transitionDays to 30 or more, or use GLACIER_IR',
    );
  }
  requireIntInRange(CONSTRUCT, 'noncurrentVersionDays', p.noncurrentVersionDays, 1, 36500);
  return { ...p, archive, forceDestroy: p.forceDestroy ?? false };
}
