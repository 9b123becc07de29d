import { encryptionDone, lifecycleDone, publicAccessBlockDone, tlsOnlyDone, versioningDone, withStateLifecycle, withTlsOnly, STATE_NONCURRENT_VERSION_DAYS } from './bootstrap-plan';

const ARN = 'arn:aws:s3:::lean-ops-tfstate-111111111111';

describe('state bucket plan', () => {
  it('wants versioning Enabled (Suspended or never set is not enough)', () => {
    expect(versioningDone('Enabled')).toBe(true);
    expect(versioningDone('Suspended')).toBe(false);
    expect(versioningDone(undefined)).toBe(false);
  });

  it('wants SSE-KMS: the SSE-S3 default every new bucket has is not enough', () => {
    expect(encryptionDone([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }])).toBe(false);
    expect(encryptionDone([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }])).toBe(true);
    expect(encryptionDone(undefined)).toBe(false);
  });

  it('wants all four public access block settings', () => {
    expect(publicAccessBlockDone({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false })).toBe(false);
    expect(publicAccessBlockDone({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true })).toBe(true);
    expect(publicAccessBlockDone(undefined)).toBe(false);
  });

  it('adds the TLS-only deny to a bucket policy, keeping statements others put there, and recognizes it', () => {
    expect(tlsOnlyDone(undefined)).toBe(false);
    const other = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Audit', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/audit' }, Action: 's3:GetObject', Resource: `${ARN}/*` }],
    });
    expect(tlsOnlyDone(other)).toBe(false);
    const merged = withTlsOnly(other, ARN);
    expect(tlsOnlyDone(merged)).toBe(true);
    const statements = JSON.parse(merged).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(['Audit', 'DenyInsecureTransport']);
    expect(statements[1]).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: [ARN, `${ARN}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    // Applying twice keeps one copy.
    expect(JSON.parse(withTlsOnly(merged, ARN)).Statement).toHaveLength(2);
  });

  it('expires noncurrent state versions, keeping other lifecycle rules', () => {
    expect(lifecycleDone(undefined)).toBe(false);
    const other = [{ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' } }];
    expect(lifecycleDone(other)).toBe(false);
    const rules = withStateLifecycle(other);
    expect(rules.map((r) => r.ID)).toEqual(['logs', 'expire-noncurrent-state-versions']);
    expect(rules[1]?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: STATE_NONCURRENT_VERSION_DAYS });
    expect(lifecycleDone(rules)).toBe(true);
    expect(withStateLifecycle(rules)).toHaveLength(2);
  });
});
