import { LIMITS } from '@lean-ops/contracts';
import { ModulePropsError, requireIntInRange, requireLogRetention, requireProp } from './validation';
import { SecurityModule } from './security-module';
import { StorageModule } from './storage-module';
import { CatalogModule } from './catalog-module';
import { MessagingModule } from './messaging-module';
import { IngestionModule } from './ingestion-module';
import { ComputeModule } from './compute-module';
import { StateModule } from './state-module';
import { ObservabilityModule } from './observability-module';
import { ACCOUNT, KEY_ARN, REGION, fakeBundleRoot, synth } from '../test/support';

describe('prop validation helpers', () => {
  it('names the construct, prop, value, rule and fix', () => {
    const e = (() => {
      try {
        requireProp(false, 'X', 'a.b', [1], 'must be empty', 'remove the items');
      } catch (err) {
        return err as ModulePropsError;
      }
      throw new Error('requireProp did not throw');
    })();
    expect(e).toBeInstanceOf(ModulePropsError);
    expect(e).toMatchObject({ construct: 'X', prop: 'a.b', value: [1], rule: 'must be empty', fix: 'remove the items' });
    expect(e.message).toBe('X: a.b = [1] is invalid: must be empty. Fix: remove the items');
  });
  it('checks integer ranges and CloudWatch retention values', () => {
    expect(() => requireIntInRange('X', 'n', 1.5, 1, 3)).toThrow('X: n = 1.5 is invalid: must be an integer from 1 to 3');
    expect(() => requireIntInRange('X', 'n', 2, 1, 3)).not.toThrow();
    expect(() => requireLogRetention('X', 'days', 4000, LIMITS.logRetentionDays)).toThrow(/e\.g\. 3653/);
    expect(() => requireLogRetention('X', 'days', 30, LIMITS.logRetentionDays)).not.toThrow();
  });
});

describe('every module refuses a bad name prefix', () => {
  const bad = 'Bad_Prefix';
  const bundleRoot = fakeBundleRoot();
  const alarms = { errorRatePercent: 50, errorRateMinErrors: 10, dlqDepth: 1, dlqMaxAgeSeconds: 604800, waterBalanceGap: 0, alertEmails: [] };
  const builders: Record<string, (namePrefix: string) => void> = {
    SecurityModule: (namePrefix) => synth((s) => new SecurityModule(s, 'm', { namePrefix, accountId: ACCOUNT, region: REGION })),
    StorageModule: (namePrefix) =>
      synth((s) => new StorageModule(s, 'm', { namePrefix, accountId: ACCOUNT, kmsKeyArn: KEY_ARN, archive: { transitionDays: 30, expirationDays: 90 }, noncurrentVersionDays: 30 })),
    CatalogModule: (namePrefix) => synth((s) => new CatalogModule(s, 'm', { namePrefix, accountId: ACCOUNT, region: REGION, warehouseBucketName: 'b' })),
    MessagingModule: (namePrefix) => synth((s) => new MessagingModule(s, 'm', { namePrefix, topics: ['a'], kmsKeyArn: KEY_ARN, functionTimeoutSeconds: 30 })),
    IngestionModule: (namePrefix) =>
      synth(
        (s) =>
          new IngestionModule(s, 'm', {
            namePrefix,
            roleArn: 'arn:r',
            catalog: { catalogArn: 'arn:c', databaseName: 'd', tableName: 't' },
            backupBucketArn: 'arn:b',
            kmsKeyArn: KEY_ARN,
            buffering: { sizeMb: 1, intervalSeconds: 0 },
            retryDurationSeconds: 0,
            logRetentionDays: 1,
          }),
      ),
    StateModule: (namePrefix) => synth((s) => new StateModule(s, 'm', { namePrefix, kmsKeyArn: KEY_ARN })),
    ObservabilityModule: (namePrefix) =>
      synth((s) => new ObservabilityModule(s, 'm', { namePrefix, region: REGION, kmsKeyArn: KEY_ARN, topics: ['a'], dlqName: 'd', deliveryStreamName: 'f', processorFunctionName: 'p', alarms })),
    ComputeModule: (namePrefix) =>
      synth(
        (s) =>
          new ComputeModule(s, 'm', {
            namePrefix,
            bundleRoot,
            artifactsBucketName: 'b',
            roleArns: { 'sqs-processor': 'r', 'dlq-processor': 'r', 'circuit-breaker': 'r', 'water-balance': 'r' },
            kmsKeyArn: KEY_ARN,
            logRetentionDays: 1,
            processor: { memoryMb: 128, timeoutSeconds: 30 },
            topics: [],
            queueVisibilityTimeoutSeconds: 180,
            dlq: { arn: 'a', url: 'u', visibilityTimeoutSeconds: 180 },
            alertTopicArn: 't',
            env: {} as never,
          }),
      ),
  };
  it.each(Object.keys(builders))('%s', (construct) => {
    expect(() => builders[construct]?.(bad)).toThrow(`${construct}: namePrefix = "Bad_Prefix" is invalid: must match`);
  });
});
