import { BUCKET_KINDS, names } from '@lean-ops/contracts';
import { StorageModule, type StorageModuleProps } from './storage-module';
import { ACCOUNT, KEY_ARN, PREFIX, all, synth, resources } from '../test/support';

const props: StorageModuleProps = {
  namePrefix: PREFIX,
  accountId: ACCOUNT,
  kmsKeyArn: KEY_ARN,
  archive: { transitionDays: 30, expirationDays: 365 },
  noncurrentVersionDays: 30,
};

const refOf = (s: ReturnType<typeof synth>, bucketName: string) => {
  const id = Object.entries(resources(s, 'aws_s3_bucket')).find(([, b]) => b.bucket === bucketName)![0];
  return `\${aws_s3_bucket.${id}.id}`;
};

describe('StorageModule', () => {
  const s = synth((stack) => new StorageModule(stack, 'storage', props));

  it('creates the warehouse, archive and artifacts buckets named from contracts', () => {
    expect(
      all(s, 'aws_s3_bucket')
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(BUCKET_KINDS.map((k) => names.bucket(PREFIX, k, ACCOUNT)).sort());
    expect(all(s, 'aws_s3_bucket').every((b) => b.force_destroy === false)).toBe(true);
  });

  it.each(BUCKET_KINDS)('secures the %s bucket: SSE-KMS, public access block, TLS-only policy, versioning', (kind) => {
    const ref = refOf(s, names.bucket(PREFIX, kind, ACCOUNT));
    const sse = all(s, 'aws_s3_bucket_server_side_encryption_configuration').find((x) => x.bucket === ref)!;
    expect(sse.rule[0]).toEqual({ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true });
    const pab = all(s, 'aws_s3_bucket_public_access_block').find((x) => x.bucket === ref)!;
    expect(pab).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = JSON.parse(all(s, 'aws_s3_bucket_policy').find((x) => x.bucket === ref)!.policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(policy.Statement[0].Resource[1]).toMatch(/aws_s3_bucket\.\S+\.arn}\/\*$/);
    const versioning = all(s, 'aws_s3_bucket_versioning').find((x) => x.bucket === ref)!;
    expect(versioning.versioning_configuration.status).toBe('Enabled');
  });

  it('moves the archive to cheaper storage and expires it; noncurrent versions expire everywhere', () => {
    const lifecycle = all(s, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle).toHaveLength(3);
    for (const l of lifecycle) {
      expect(l.rule.find((r: any) => r.id === 'noncurrent-versions').noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
      expect(l.depends_on[0]).toMatch(/^aws_s3_bucket_versioning\./);
    }
    const archive = lifecycle.find((l) => l.bucket === refOf(s, names.bucket(PREFIX, 'archive', ACCOUNT)))!;
    const tiering = archive.rule.find((r: any) => r.id === 'archive-tiering');
    expect(tiering.transition).toEqual([{ days: 30, storage_class: 'GLACIER_IR' }]);
    expect(tiering.expiration).toEqual([{ days: 365 }]);
    const warehouse = lifecycle.find((l) => l.bucket === refOf(s, names.bucket(PREFIX, 'warehouse', ACCOUNT)))!;
    expect(warehouse.rule.map((r: any) => r.id)).toEqual(['noncurrent-versions']);
  });

  describe('refuses', () => {
    it('an expiration not later than the transition', () => {
      expect(() => synth((stack) => new StorageModule(stack, 's', { ...props, archive: { transitionDays: 90, expirationDays: 60 } }))).toThrow(
        'StorageModule: archive.expirationDays = 60 is invalid: objects must expire after they move to GLACIER_IR (transitionDays = 90). Fix: set archive.expirationDays above 90 or lower archive.transitionDays',
      );
    });
    it('an IA transition before 30 days', () => {
      expect(() => synth((stack) => new StorageModule(stack, 's', { ...props, archive: { transitionDays: 7, expirationDays: 90, storageClass: 'STANDARD_IA' } }))).toThrow(
        'StorageModule: archive.transitionDays = 7 is invalid: S3 moves objects to STANDARD_IA only after at least 30 days. Fix: set archive.transitionDays to 30 or more, or use GLACIER_IR',
      );
    });
    it('non-positive day counts and a bad account id', () => {
      expect(() => synth((stack) => new StorageModule(stack, 's', { ...props, archive: { transitionDays: 0, expirationDays: 90 } }))).toThrow(/archive.transitionDays = 0 is invalid/);
      expect(() => synth((stack) => new StorageModule(stack, 's', { ...props, noncurrentVersionDays: 0 }))).toThrow(/noncurrentVersionDays = 0 is invalid: must be an integer from 1/);
      expect(() => synth((stack) => new StorageModule(stack, 's', { ...props, accountId: 'abc' }))).toThrow(/accountId = "abc" is invalid/);
    });
  });
});
