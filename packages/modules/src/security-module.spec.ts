import { FUNCTION_KINDS, names } from '@lean-ops/contracts';
import { SecurityModule } from './security-module';
import { ACCOUNT, PREFIX, REGION, all, one, synth, type Attrs } from '../test/support';

const props = { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION };

function policyOf(attrs: Attrs) {
  return JSON.parse(attrs.policy) as { Statement: Array<{ Sid?: string; Effect: string; Action: string[]; Resource?: string[]; Principal?: unknown; Condition?: any }> };
}

describe('SecurityModule', () => {
  it('creates a rotating KMS key with an explicit policy and an alias', () => {
    const s = synth((stack) => new SecurityModule(stack, 'security', props));
    const key = one(s, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    const doc = policyOf(key);
    const root = doc.Statement.find((st) => st.Sid === 'AccountAdministersAndUsesKey')!;
    expect(root.Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    expect(root.Action).not.toContain('kms:*');
    expect(root.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Decrypt']));
    const logs = doc.Statement.find((st) => st.Sid === 'CloudWatchLogsEncryptsOwnLogGroups')!;
    expect(logs.Principal).toEqual({ Service: `logs.${REGION}.amazonaws.com` });
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toContain(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${names.logGroup(names.fn(PREFIX, 'sqs-processor'))}`);
    const cw = doc.Statement.find((st) => st.Sid === 'CloudWatchAlarmsPublishToEncryptedTopic')!;
    expect(cw.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(one(s, 'aws_kms_alias').name).toBe(names.kmsAlias(PREFIX));
  });

  it('creates one role per Lambda and one for Firehose, each trusting only its service', () => {
    const s = synth((stack) => new SecurityModule(stack, 'security', props));
    const roles = all(s, 'aws_iam_role');
    expect(roles.map((r) => r.name).sort()).toEqual([...[...FUNCTION_KINDS, 'firehose'].map((k) => names.fnRole(PREFIX, k as never)), names.tableOptimizerRole(PREFIX)].sort());
    const optimizer = roles.find((r) => r.name === names.tableOptimizerRole(PREFIX))!;
    expect(JSON.parse(optimizer.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'glue.amazonaws.com' });
    const firehose = roles.find((r) => r.name === names.fnRole(PREFIX, 'firehose'))!;
    const trust = JSON.parse(firehose.assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'firehose.amazonaws.com' });
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': ACCOUNT } });
    const lambda = roles.find((r) => r.name === names.fnRole(PREFIX, 'sqs-processor'))!;
    expect(JSON.parse(lambda.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
  });

  it('grants the processor exactly its queues, stream, quarantine prefix, tables, key and log group', () => {
    const s = synth((stack) => {
      const sec = new SecurityModule(stack, 'security', props);
      sec.grantProcessor({
        topicQueueArns: ['arn:q1', 'arn:q2'],
        deliveryStreamArn: 'arn:stream',
        archiveBucketArn: 'arn:aws:s3:::archive',
        checkpointsTableArn: 'arn:checkpoints',
        errorsTableArn: 'arn:errors',
        logGroupArn: 'arn:lg',
      });
    });
    const policy = one(s, 'aws_iam_role_policy');
    expect(policy.role).toMatch(/aws_iam_role\.security_role-sqs-processor_\w+\.id/);
    const st = Object.fromEntries(policyOf(policy).Statement.map((x) => [x.Sid, x]));
    expect(st.ConsumeTopicQueues.Resource).toEqual(['arn:q1', 'arn:q2']);
    expect(st.PaceRetries).toMatchObject({ Action: ['sqs:ChangeMessageVisibility'], Resource: ['arn:q1', 'arn:q2'] });
    expect(st.IsolateCrashes).toMatchObject({ Action: ['sqs:SendMessage'], Resource: ['arn:q1', 'arn:q2'] });
    expect(st.DeliverToFirehose).toMatchObject({ Action: ['firehose:PutRecordBatch', 'firehose:PutRecord'], Resource: ['arn:stream'] });
    expect(st.Quarantine.Resource).toEqual(['arn:aws:s3:::archive/quarantine/*']);
    expect(st.CheckpointsAndErrors.Resource).toEqual(['arn:checkpoints', 'arn:errors']);
    expect(st.CrashMarkers).toMatchObject({ Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], Resource: ['arn:errors'] });
    // The key only through SQS, DynamoDB and (for the archive's objects only) S3.
    expect(st.UseKeyViaServices.Resource[0]).toMatch(/aws_kms_key\.security_key_\w+\.arn/);
    expect(st.UseKeyViaServices.Condition).toEqual({ StringEquals: { 'kms:ViaService': [`sqs.${REGION}.amazonaws.com`, `dynamodb.${REGION}.amazonaws.com`] } });
    expect(st.UseKeyViaS3.Condition).toEqual({
      StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::archive', 'arn:aws:s3:::archive/*'] },
    });
    expect(st.Logs.Resource).toEqual(['arn:lg:*']);
  });

  it('grants the DLQ processor consume and ChangeMessageVisibility on the DLQ only', () => {
    const s = synth((stack) => {
      new SecurityModule(stack, 'security', props).grantDlqProcessor({
        dlqArn: 'arn:dlq',
        archiveBucketArn: 'arn:aws:s3:::archive',
        checkpointsTableArn: 'arn:checkpoints',
        errorsTableArn: 'arn:errors',
        logGroupArn: 'arn:lg',
      });
    });
    const st = Object.fromEntries(policyOf(one(s, 'aws_iam_role_policy')).Statement.map((x) => [x.Sid, x]));
    expect(st.ConsumeDlq.Resource).toEqual(['arn:dlq']);
    expect(st.PaceRetries).toMatchObject({ Action: ['sqs:ChangeMessageVisibility'], Resource: ['arn:dlq'] });
    expect(st.Archive.Resource).toEqual(['arn:aws:s3:::archive/dlq-archive/*']);
  });

  it('grants Firehose the Glue table, the table files, the error-output prefix only, the key via S3 and its log group', () => {
    const s = synth((stack) => {
      new SecurityModule(stack, 'security', props).grantFirehose({
        catalogArn: 'arn:cat',
        databaseArn: 'arn:db',
        tableArn: 'arn:tbl',
        warehouseBucketArn: 'arn:aws:s3:::wh',
        tableKeyPrefix: 'warehouse/db/raw_events/',
        backupBucketArn: 'arn:aws:s3:::bk',
        logGroupArn: 'arn:lg',
      });
    });
    const statements = policyOf(one(s, 'aws_iam_role_policy')).Statement;
    const st = Object.fromEntries(statements.map((x) => [x.Sid, x]));
    expect(st.GlueTable.Resource).toEqual(['arn:cat', 'arn:db', 'arn:tbl']);
    expect(st.Buckets.Resource).toEqual(['arn:aws:s3:::wh', 'arn:aws:s3:::bk']);
    expect(st.TableFiles.Resource).toEqual(['arn:aws:s3:::wh/warehouse/db/raw_events/*']);
    expect(st.ErrorOutput).toMatchObject({ Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: ['arn:aws:s3:::bk/firehose-errors/*'] });
    // Nothing may write or delete in the archive outside firehose-errors/ (quarantine/ and dlq-archive/ stay out of reach).
    const archiveWrites = statements
      .filter((x) => x.Action.some((a) => ['s3:PutObject', 's3:DeleteObject'].includes(a)))
      .flatMap((x) => x.Resource!)
      .filter((r) => r.startsWith('arn:aws:s3:::bk'));
    expect(archiveWrites).toEqual(['arn:aws:s3:::bk/firehose-errors/*']);
    expect(st.UseKeyViaS3.Condition.StringLike['kms:EncryptionContext:aws:s3:arn']).toEqual(['arn:aws:s3:::wh', 'arn:aws:s3:::wh/*', 'arn:aws:s3:::bk', 'arn:aws:s3:::bk/*']);
    expect(st.UseKeyViaServices).toBeUndefined();
  });

  it('grants the table optimizers the table, its files, the key via S3 and the Glue optimizer log groups', () => {
    const s = synth((stack) => {
      new SecurityModule(stack, 'security', props).grantTableOptimizer({
        catalogArn: 'arn:cat',
        databaseArn: 'arn:db',
        tableArn: 'arn:tbl',
        warehouseBucketArn: 'arn:aws:s3:::wh',
        tableKeyPrefix: 'warehouse/db/raw_events/',
      });
    });
    const policy = one(s, 'aws_iam_role_policy');
    expect(policy.role).toMatch(/aws_iam_role\.security_role-table-optimizer_\w+\.id/);
    const st = Object.fromEntries(policyOf(policy).Statement.map((x) => [x.Sid, x]));
    expect(st.GlueTable).toMatchObject({ Action: ['glue:GetTable', 'glue:UpdateTable'], Resource: ['arn:cat', 'arn:db', 'arn:tbl'] });
    expect(st.ListWarehouse.Resource).toEqual(['arn:aws:s3:::wh']);
    expect(st.TableFiles.Resource).toEqual(['arn:aws:s3:::wh/warehouse/db/raw_events/*']);
    expect(st.Logs.Resource).toEqual([
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/iceberg-compaction/logs:*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/iceberg-retention/logs:*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/iceberg-orphan-file-deletion/logs:*`,
    ]);
  });

  it('lets the breaker list mappings with Resource "*" only for ListEventSourceMappings', () => {
    const s = synth((stack) => {
      new SecurityModule(stack, 'security', props).grantCircuitBreaker({
        eventSourceMappingArns: ['arn:esm'],
        locksTableArn: 'arn:locks',
        checkpointsTableArn: 'arn:cp',
        alertTopicArn: 'arn:topic',
        logGroupArn: 'arn:lg',
      });
    });
    const statements = policyOf(one(s, 'aws_iam_role_policy')).Statement;
    const star = statements.filter((x) => x.Resource?.includes('*'));
    expect(star.map((x) => x.Action)).toEqual([['lambda:ListEventSourceMappings']]);
    expect(statements.find((x) => x.Sid === 'ToggleMappings')!.Resource).toEqual(['arn:esm']);
  });

  describe('refuses', () => {
    it('a wildcard action', () => {
      expect(() => synth((stack) => new SecurityModule(stack, 's', props).allow('sqs-processor', 'bad', [{ actions: ['sqs:*'], resources: ['arn:q'] }]))).toThrow(
        'SecurityModule: allow(sqs-processor, bad).statements[0].actions = ["sqs:*"] is invalid: no statement may allow `*` or `service:*`. Fix: list the exact actions the role calls',
      );
      expect(() => synth((stack) => new SecurityModule(stack, 's', props).allow('firehose', 'bad', [{ actions: ['*'], resources: ['arn:q'] }]))).toThrow(/\["\*"\] is invalid/);
    });
    it('Resource "*" for an action with resource-level permissions', () => {
      expect(() => synth((stack) => new SecurityModule(stack, 's', props).allow('water-balance', 'bad', [{ actions: ['dynamodb:Query'], resources: ['*'] }]))).toThrow(
        /resources = \["\*"\] is invalid: "\*" is allowed only for actions without resource-level permissions, not for dynamodb:Query\. Fix: pass the resource ARNs/,
      );
    });
    it('a statement without resources', () => {
      expect(() => synth((stack) => new SecurityModule(stack, 's', props).allow('water-balance', 'bad', [{ actions: ['sqs:GetQueueAttributes'], resources: [] }]))).toThrow(
        /an identity policy statement needs resources/,
      );
    });
    it('a bad account id, region or deletion window', () => {
      expect(() => synth((stack) => new SecurityModule(stack, 's', { ...props, accountId: '1234' }))).toThrow('SecurityModule: accountId = "1234" is invalid: must be a 12-digit AWS account id');
      expect(() => synth((stack) => new SecurityModule(stack, 's', { ...props, region: 'Europe' }))).toThrow(/region = "Europe" is invalid/);
      expect(() => synth((stack) => new SecurityModule(stack, 's', { ...props, keyDeletionWindowDays: 3 }))).toThrow(
        'SecurityModule: keyDeletionWindowDays = 3 is invalid: must be an integer from 7 to 30. Fix: set keyDeletionWindowDays to a value from 7 to 30',
      );
    });
  });
});
