import { Aspects, Fn, Testing, TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { FUNCTION_KINDS, names, type FunctionKind, DEFAULT_HANDLER_TUNING } from '@lean-ops/contracts';
import { SECURITY_RULES, SecurityAspect, SecurityFindingsError, securityFindings, type SecurityFinding } from './security-aspect';
import { SecurityModule } from './security-module';
import { StorageModule } from './storage-module';
import { CatalogModule } from './catalog-module';
import { MessagingModule } from './messaging-module';
import { StateModule } from './state-module';
import { IngestionModule } from './ingestion-module';
import { ObservabilityModule } from './observability-module';
import { ComputeModule } from './compute-module';
import { ACCOUNT, KEY_ARN, PREFIX, REGION, fakeBundleRoot } from '../test/support';
import assert from 'node:assert/strict';

function stackWith(build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'stack');
  build(stack);
  return stack;
}

const findingsOf = (build: (stack: TerraformStack) => void): SecurityFinding[] => securityFindings(stackWith(build));
const rulesOf = (build: (stack: TerraformStack) => void) => findingsOf(build).map((f) => f.rule);
const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('SecurityAspect rules', () => {
  it('flags a bare S3 bucket on all four bucket rules, with its construct path', () => {
    const findings = findingsOf((stack) => new S3Bucket(stack, 'bare', { bucket: 'bare-bucket' }));
    expect(findings).toEqual([
      { path: 'stack/bare', rule: SECURITY_RULES.s3Kms },
      { path: 'stack/bare', rule: SECURITY_RULES.s3PublicAccess },
      { path: 'stack/bare', rule: SECURITY_RULES.s3Tls },
      { path: 'stack/bare', rule: SECURITY_RULES.s3Versioning },
    ]);
  });

  it('flags a bucket policy that allows plain HTTP (no SecureTransport deny)', () => {
    const rules = rulesOf((stack) => {
      const b = new S3Bucket(stack, 'b', { bucket: 'b' });
      new S3BucketPolicy(stack, 'p', { bucket: b.id, policy: policy({ Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject'], Resource: [`${b.arn}/*`] }) });
    });
    expect(rules).toContain(SECURITY_RULES.s3Tls);
  });

  it('flags unencrypted SQS queues and SNS topics', () => {
    expect(rulesOf((stack) => new SqsQueue(stack, 'q', { name: 'q' }))).toEqual([SECURITY_RULES.sqsKms]);
    expect(rulesOf((stack) => new SqsQueue(stack, 'q', { name: 'q', sqsManagedSseEnabled: true }))).toEqual([SECURITY_RULES.sqsKms]);
    expect(rulesOf((stack) => new SnsTopic(stack, 't', { name: 't' }))).toEqual([SECURITY_RULES.snsKms]);
  });

  it('flags DynamoDB tables without PITR or without KMS encryption', () => {
    const table = (over: object) => (stack: TerraformStack) =>
      new DynamodbTable(stack, 't', { name: 't', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST', ...over });
    expect(rulesOf(table({}))).toEqual([SECURITY_RULES.dynamodbPitr, SECURITY_RULES.dynamodbKms]);
    expect(rulesOf(table({ pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN } }))).toEqual([]);
  });

  it('flags log groups without retention', () => {
    expect(rulesOf((stack) => new CloudwatchLogGroup(stack, 'lg', { name: '/x' }))).toEqual([SECURITY_RULES.logRetention]);
    expect(rulesOf((stack) => new CloudwatchLogGroup(stack, 'lg', { name: '/x', retentionInDays: 0 }))).toEqual([SECURITY_RULES.logRetention]);
  });

  it('flags IAM statements with "*" or "service:*" actions and NotAction', () => {
    const rules = (statement: Record<string, unknown>) => rulesOf((stack) => new IamRolePolicy(stack, 'p', { role: 'r', policy: policy(statement) }));
    expect(rules({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' })).toEqual([`${SECURITY_RULES.iamWildcardAction} (*)`]);
    expect(rules({ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::b'] })).toEqual([`${SECURITY_RULES.iamWildcardAction} (s3:*)`]);
    expect(rules({ Effect: 'Allow', NotAction: ['iam:*'], Resource: ['arn:aws:s3:::b'] })).toEqual([SECURITY_RULES.iamNotAction]);
    expect(rules({ Effect: 'Deny', Action: ['s3:*'], Resource: ['*'] })).toEqual([]);
  });

  it('flags Resource "*" unless every action lacks resource-level permissions', () => {
    const rules = (statement: Record<string, unknown>) => rulesOf((stack) => new IamRolePolicy(stack, 'p', { role: 'r', policy: policy(statement) }));
    expect(rules({ Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: '*' })).toEqual([`${SECURITY_RULES.iamWildcardResource} (sqs:ReceiveMessage)`]);
    expect(rules({ Effect: 'Allow', Action: ['lambda:ListEventSourceMappings', 'lambda:UpdateEventSourceMapping'], Resource: ['*'] })).toHaveLength(1);
    expect(rules({ Effect: 'Allow', Action: ['lambda:ListEventSourceMappings'], Resource: ['*'] })).toEqual([]);
  });

  it('checks inline role policies, trust policies and policy documents (data sources) too', () => {
    expect(
      rulesOf(
        (stack) =>
          new IamRole(stack, 'r', {
            assumeRolePolicy: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
            inlinePolicy: [{ name: 'i', policy: policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:t' }) }],
          }),
      ),
    ).toEqual([`${SECURITY_RULES.iamWildcardAction} (dynamodb:*)`]);
    expect(
      rulesOf(
        (stack) =>
          new DataAwsIamPolicyDocument(stack, 'd', {
            statement: [
              { actions: ['dynamodb:GetItem'], resources: ['*'] },
              { actions: ['kms:*'], resources: ['arn:k'] },
            ],
          }),
      ),
    ).toEqual([`${SECURITY_RULES.iamWildcardResource} (dynamodb:GetItem)`, `${SECURITY_RULES.iamWildcardAction} (kms:*)`]);
  });

  it('flags object writes or deletes on every object of a bucket, literal or by reference, but not under a prefix', () => {
    const rules = (statement: Record<string, unknown>) => rulesOf((stack) => new IamRolePolicy(stack, 'p', { role: 'r', policy: policy(statement) }));
    expect(rules({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::archive/*'] })).toEqual([`${SECURITY_RULES.s3WriteScope} (arn:aws:s3:::archive/*)`]);
    expect(
      rulesOf((stack) => {
        const b = new S3Bucket(stack, 'b', { bucket: 'b' });
        new IamRolePolicy(stack, 'p', { role: 'r', policy: policy({ Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: [`${b.arn}/*`] }) });
      }).filter((r) => r.startsWith(SECURITY_RULES.s3WriteScope)),
    ).toEqual([`${SECURITY_RULES.s3WriteScope} (\${aws_s3_bucket.b.arn}/*)`]);
    expect(rules({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::archive/firehose-errors/*'] })).toEqual([]);
    expect(rules({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::archive/*'] })).toEqual([]);
    expect(rulesOf((stack) => new DataAwsIamPolicyDocument(stack, 'd', { statement: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'] }] }))).toEqual([
      `${SECURITY_RULES.s3WriteScope} (arn:aws:s3:::b/*)`,
    ]);
  });

  it('flags KMS data-key use without a kms:ViaService condition in identity policies, not in key policies', () => {
    const rules = (statement: Record<string, unknown>) => rulesOf((stack) => new IamRolePolicy(stack, 'p', { role: 'r', policy: policy(statement) }));
    expect(rules({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [KEY_ARN] })).toEqual([SECURITY_RULES.kmsViaService]);
    expect(rules({ Effect: 'Allow', Action: ['kms:GenerateDataKey*'], Resource: [KEY_ARN], Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })).toEqual([SECURITY_RULES.kmsViaService]);
    expect(rules({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY_ARN], Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } } })).toEqual([]);
    expect(rules({ Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: [KEY_ARN] })).toEqual([]);
    expect(rulesOf((stack) => new DataAwsIamPolicyDocument(stack, 'd', { statement: [{ actions: ['kms:Decrypt'], resources: [KEY_ARN] }] }))).toEqual([SECURITY_RULES.kmsViaService]);
    // The key policy's own statements (the account and service principals) are not identity policies.
    expect(rulesOf((stack) => new SecurityModule(stack, 's', { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION }))).toEqual([]);
  });

  it('refuses policies it cannot read', () => {
    expect(rulesOf((stack) => new IamRolePolicy(stack, 'p', { role: 'r', policy: Fn.jsonencode({ Statement: [] }) }))).toEqual([SECURITY_RULES.iamUnreadable]);
  });

  it('flags Lambda environment variables named like secrets', () => {
    const rules = rulesOf(
      (stack) =>
        new LambdaFunction(stack, 'f', {
          functionName: 'f',
          role: 'arn:r',
          environment: { variables: { DB_PASSWORD: 'x', STRIPE_API_KEY: 'y', LEAN_OPS_TOPICS: '[]' } },
        }),
    );
    expect(rules).toEqual([`${SECURITY_RULES.lambdaSecretEnv} (DB_PASSWORD)`, `${SECURITY_RULES.lambdaSecretEnv} (STRIPE_API_KEY)`]);
  });

  it('fails the synth listing every finding as "<path>: <rule>" when added to a stack', () => {
    const stack = stackWith((s) => {
      new SqsQueue(s, 'plain-queue', { name: 'q' });
      new SnsTopic(s, 'plain-topic', { name: 't' });
    });
    Aspects.of(stack).add(new SecurityAspect());
    expect(() => Testing.synth(stack)).toThrow(SecurityFindingsError);
    expect(() => Testing.synth(stack)).toThrow(`SecurityAspect: 2 finding(s):\n  stack/plain-queue: ${SECURITY_RULES.sqsKms}\n  stack/plain-topic: ${SECURITY_RULES.snsKms}`);
  });
});

describe('SecurityAspect on the modules', () => {
  it('passes all eight modules, wired and granted, with 0 findings', () => {
    const stack = stackWith((stack) => {
      const security = new SecurityModule(stack, 'security', { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION });
      const storage = new StorageModule(stack, 'storage', {
        namePrefix: PREFIX,
        accountId: ACCOUNT,
        kmsKeyArn: security.keyArn,
        archive: { transitionDays: 30, expirationDays: 365 },
        noncurrentVersionDays: 30,
      });
      const catalog = new CatalogModule(stack, 'catalog', { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION, warehouseBucketName: storage.warehouse.name });
      const state = new StateModule(stack, 'state', { namePrefix: PREFIX, kmsKeyArn: security.keyArn });
      const messaging = new MessagingModule(stack, 'messaging', { namePrefix: PREFIX, topics: ['orders'], kmsKeyArn: security.keyArn, functionTimeoutSeconds: 30 });
      const ingestion = new IngestionModule(stack, 'ingestion', {
        namePrefix: PREFIX,
        roleArn: security.roles.firehose.arn,
        catalog,
        backupBucketArn: storage.archive.arn,
        kmsKeyArn: security.keyArn,
        buffering: { sizeMb: 64, intervalSeconds: 60 },
        retryDurationSeconds: 300,
        logRetentionDays: 30,
      });
      ingestion.waitFor(
        security.grantFirehose({
          catalogArn: catalog.catalogArn,
          databaseArn: catalog.databaseArn,
          tableArn: catalog.tableArn,
          warehouseBucketArn: storage.warehouse.arn,
          tableKeyPrefix: catalog.tableKeyPrefix,
          backupBucketArn: storage.archive.arn,
          logGroupArn: ingestion.logGroupArn,
        }),
      );
      const observability = new ObservabilityModule(stack, 'observability', {
        namePrefix: PREFIX,
        region: REGION,
        kmsKeyArn: security.keyArn,
        topics: ['orders'],
        dlqName: messaging.dlqName,
        deliveryStreamName: ingestion.streamName,
        processorFunctionName: names.fn(PREFIX, 'sqs-processor'),
        alarms: { errorRatePercent: 50, errorRateMinErrors: 10, dlqDepth: 1, dlqMaxAgeSeconds: 604800, waterBalanceGap: 0, alertEmails: [] },
      });
      const [errorRateAlarm] = observability.errorRateAlarms;
      assert(errorRateAlarm);
      const compute = new ComputeModule(stack, 'compute', {
        namePrefix: PREFIX,
        bundleRoot: fakeBundleRoot(),
        artifactsBucketName: storage.artifacts.name,
        roleArns: Object.fromEntries(FUNCTION_KINDS.map((k) => [k, security.roles[k].arn])) as Record<FunctionKind, string>,
        kmsKeyArn: security.keyArn,
        logRetentionDays: 30,
        processor: { memoryMb: 512, timeoutSeconds: 30 },
        topics: messaging.topicQueues.map((q) => ({
          topic: q.topic,
          queueArn: q.arn,
          queueName: q.name,
          queueUrl: q.url,
          batchSize: 10,
          batchingWindowSeconds: 0,
          maximumConcurrency: 5,
          expectedFields: [],
          errorRateAlarmName: errorRateAlarm.name,
        })),
        queueVisibilityTimeoutSeconds: messaging.visibilityTimeoutSeconds,
        dlq: { arn: messaging.dlqArn, url: messaging.dlqUrl, visibilityTimeoutSeconds: messaging.dlqVisibilityTimeoutSeconds },
        alertTopicArn: observability.alertTopicArn,
        env: {
          deliveryStream: ingestion.streamName,
          archiveBucket: storage.archive.name,
          checkpointsTable: state.tables.checkpoints.name,
          locksTable: state.tables.locks.name,
          errorsTable: state.tables.errors.name,
          ...DEFAULT_HANDLER_TUNING,
          waterBalanceWindowMinutes: 5,
          retryMaxDelaySeconds: 60,
        },
      });
      compute.mappingsWaitFor(
        security.grantProcessor({
          topicQueueArns: messaging.queueArns,
          deliveryStreamArn: ingestion.streamArn,
          archiveBucketArn: storage.archive.arn,
          checkpointsTableArn: state.tables.checkpoints.arn,
          errorsTableArn: state.tables.errors.arn,
          logGroupArn: compute.logGroupArn('sqs-processor'),
        }),
      );
      security.grantCircuitBreaker({
        eventSourceMappingArns: compute.topicMappingArns,
        locksTableArn: state.tables.locks.arn,
        checkpointsTableArn: state.tables.checkpoints.arn,
        alertTopicArn: observability.alertTopicArn,
        logGroupArn: compute.logGroupArn('circuit-breaker'),
      });
      compute.mappingsWaitFor(
        security.grantDlqProcessor({
          dlqArn: messaging.dlqArn,
          archiveBucketArn: storage.archive.arn,
          checkpointsTableArn: state.tables.checkpoints.arn,
          errorsTableArn: state.tables.errors.arn,
          logGroupArn: compute.logGroupArn('dlq-processor'),
        }),
      );
      security.grantWaterBalance({ checkpointsTableArn: state.tables.checkpoints.arn, dlqArn: messaging.dlqArn, logGroupArn: compute.logGroupArn('water-balance') });
      const optimizerPolicy = security.grantTableOptimizer({
        catalogArn: catalog.catalogArn,
        databaseArn: catalog.databaseArn,
        tableArn: catalog.tableArn,
        warehouseBucketArn: storage.warehouse.arn,
        tableKeyPrefix: catalog.tableKeyPrefix,
      });
      catalog.maintain(
        { roleArn: security.tableOptimizerRole.arn, compaction: true, snapshotRetention: true, snapshotRetentionDays: 5, snapshotsToRetain: 1, orphanFileDeletion: true, orphanFileRetentionDays: 3 },
        optimizerPolicy,
      );
    });
    expect(securityFindings(stack)).toEqual([]);
    Aspects.of(stack).add(new SecurityAspect());
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});
