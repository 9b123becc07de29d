import { partitionOf } from './arn';
import type { PolicyStatement } from './policy-document';

/** Services that use the pipeline's KMS key with the caller's credentials. */
export type KeyService = 'sqs' | 's3' | 'dynamodb' | 'sns';

/** The data-key actions a role needs to read and write through a service (Decrypt, GenerateDataKey). */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * `kms:ViaService` value of a service in a region: `<service>.<region>.amazonaws.com`
 * (KMS developer guide, conditions-kms.html#conditions-kms-via-service; `.amazonaws.com.cn` in China).
 */
export function viaService(service: KeyService, region: string): string {
  return `${service}.${region}.amazonaws.com${partitionOf(region) === 'aws-cn' ? '.cn' : ''}`;
}

export interface KeyUse {
  keyArn: string;
  region: string;
  /** Services the role reaches the key through, other than S3 (queues, tables, topics). */
  services: Array<Exclude<KeyService, 's3'>>;
  /** Buckets the role reads or writes through S3: their objects' encryption context (`aws:s3:arn`). */
  bucketArns?: string[];
}

/**
 * The key, only through the services the role calls. S3 also pins the encryption context: S3 passes the object's ARN,
 * or with an S3 Bucket Key the bucket's ARN, as `aws:s3:arn` (S3 user guide, UsingKMSEncryption.html#encryption-context).
 */
export function keyUseStatements(u: KeyUse): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (u.services.length > 0) {
    statements.push({
      sid: 'UseKeyViaServices',
      actions: KEY_USE_ACTIONS,
      resources: [u.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': u.services.map((s) => viaService(s, u.region)) } },
    });
  }
  if (u.bucketArns && u.bucketArns.length > 0) {
    statements.push({
      sid: 'UseKeyViaS3',
      actions: KEY_USE_ACTIONS,
      resources: [u.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': viaService('s3', u.region) },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': u.bucketArns.flatMap((b) => [b, `${b}/*`]) },
      },
    });
  }
  return statements;
}
