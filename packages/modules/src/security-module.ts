import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FUNCTION_KINDS, NAME_PREFIX_PATTERN, S3_PREFIXES, isRegion, names, type FunctionKind } from '@lean-ops/contracts';
import { accountRootArn, logGroupArnPattern, objectArns } from './arn';
import { allowsWildcardResource, isWildcardAction } from './iam-rules';
import { keyUseStatements, type KeyUse } from './key-use';
import { policyJson, type PolicyStatement } from './policy-document';
import { requireIntInRange, requireProp } from './validation';

const CONSTRUCT = 'SecurityModule';

export type RoleKind = FunctionKind | 'firehose';
export const ROLE_KINDS: readonly RoleKind[] = [...FUNCTION_KINDS, 'firehose'];

export interface SecurityModuleProps {
  namePrefix: string;
  /** Account that owns the key and the roles (from the environment file; no AWS lookup). */
  accountId: string;
  region: string;
  /** Days KMS waits before deleting a scheduled key (7..30). Default 30. */
  keyDeletionWindowDays?: number;
}

/** Logging permissions: every role writes only to its own log group. */
interface LogGrant {
  logGroupArn: string;
}

export interface ProcessorGrant extends LogGrant {
  topicQueueArns: string[];
  deliveryStreamArn: string;
  archiveBucketArn: string;
  checkpointsTableArn: string;
  errorsTableArn: string;
}

export interface DlqProcessorGrant extends LogGrant {
  dlqArn: string;
  archiveBucketArn: string;
  checkpointsTableArn: string;
  errorsTableArn: string;
}

export interface CircuitBreakerGrant extends LogGrant {
  /** The processor's topic-queue mappings the breaker disables and re-enables. */
  eventSourceMappingArns: string[];
  locksTableArn: string;
  checkpointsTableArn: string;
  alertTopicArn: string;
}

export interface WaterBalanceGrant extends LogGrant {
  checkpointsTableArn: string;
  dlqArn: string;
}

export interface FirehoseGrant extends LogGrant {
  catalogArn: string;
  databaseArn: string;
  tableArn: string;
  warehouseBucketArn: string;
  /** The RAW table's location in the warehouse bucket (CatalogModule.tableKeyPrefix): Firehose writes only there. */
  tableKeyPrefix: string;
  /** Bucket for records the Iceberg destination could not write (s3_configuration); written under firehose-errors/ only. */
  backupBucketArn: string;
}

/** What the Glue table optimizers (compaction, snapshot retention, orphan-file deletion) of one table touch. */
export interface TableOptimizerGrant {
  catalogArn: string;
  databaseArn: string;
  tableArn: string;
  warehouseBucketArn: string;
  /** The table's location in the warehouse bucket: the optimizers rewrite and delete files only there. */
  tableKeyPrefix: string;
}

/** Log groups the Glue table optimizers write to (Glue developer guide, optimization-prerequisites). */
export const TABLE_OPTIMIZER_LOG_GROUPS = ['/aws-glue/iceberg-compaction/logs', '/aws-glue/iceberg-retention/logs', '/aws-glue/iceberg-orphan-file-deletion/logs'];

/**
 * The KMS key every other module encrypts with, and one least-privilege role per Lambda and for Firehose.
 * Roles exist first; permissions are attached later with the grant methods, once the resources they are
 * scoped to exist (no `*` action; `*` resource only for actions without resource-level permissions).
 */
export class SecurityModule extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly keyAlias: KmsAlias;
  readonly roles: Readonly<Record<RoleKind, IamRole>>;
  /** The role the Glue table optimizers of the RAW table assume (trusts glue.amazonaws.com). */
  readonly tableOptimizerRole: IamRole;

  private readonly props: Required<SecurityModuleProps>;

  constructor(scope: Construct, id: string, props: SecurityModuleProps) {
    super(scope, id);
    this.props = resolveSecurityProps(props);
    const { namePrefix, accountId, region } = this.props;

    this.key = new KmsKey(this, 'key', {
      description: `${namePrefix}: queues, topics, tables, buckets, logs and the delivery stream`,
      enableKeyRotation: true,
      deletionWindowInDays: this.props.keyDeletionWindowDays,
      policy: policyJson(keyPolicy(namePrefix, accountId, region)),
    });
    this.keyArn = this.key.arn;
    this.keyAlias = new KmsAlias(this, 'alias', { name: names.kmsAlias(namePrefix), targetKeyId: this.key.keyId });

    const roles = {} as Record<RoleKind, IamRole>;
    for (const kind of ROLE_KINDS) {
      roles[kind] = new IamRole(this, `role-${kind}`, {
        name: names.fnRole(namePrefix, kind),
        assumeRolePolicy: policyJson([trustStatement(kind, accountId)]),
      });
    }
    this.roles = roles;
    this.tableOptimizerRole = new IamRole(this, 'role-table-optimizer', {
      name: names.tableOptimizerRole(namePrefix),
      // As the Glue developer guide documents the optimizer role's trust (optimization-prerequisites).
      assumeRolePolicy: policyJson([{ principal: { Service: 'glue.amazonaws.com' }, actions: ['sts:AssumeRole'] }]),
    });
  }

  role(kind: RoleKind): IamRole {
    return this.roles[kind];
  }

  /**
   * Attach an inline policy to a role. Refuses `*` / `service:*` actions and `*` resources (except for actions
   * AWS documents without resource-level permissions).
   */
  allow(kind: RoleKind, policyName: string, statements: PolicyStatement[]): IamRolePolicy {
    return this.attach(this.roles[kind], kind, policyName, statements);
  }

  private attach(role: IamRole, label: string, policyName: string, statements: PolicyStatement[]): IamRolePolicy {
    statements.forEach((s, i) => {
      const where = `allow(${label}, ${policyName}).statements[${i}]`;
      const wildcard = s.actions.filter(isWildcardAction);
      requireProp(wildcard.length === 0, CONSTRUCT, `${where}.actions`, wildcard, 'no statement may allow `*` or `service:*`', 'list the exact actions the role calls');
      requireProp((s.resources ?? []).length > 0, CONSTRUCT, `${where}.resources`, s.resources, 'an identity policy statement needs resources', 'pass the ARNs of the resources the role uses');
      if ((s.resources ?? []).includes('*')) {
        requireProp(
          allowsWildcardResource(s.actions),
          CONSTRUCT,
          `${where}.resources`,
          s.resources,
          `"*" is allowed only for actions without resource-level permissions, not for ${s.actions.join(', ')}`,
          'pass the resource ARNs',
        );
      }
    });
    return new IamRolePolicy(this, `policy-${label}-${policyName}`, {
      name: policyName,
      role: role.id,
      policy: policyJson(statements),
    });
  }

  grantProcessor(g: ProcessorGrant): IamRolePolicy {
    return this.allow('sqs-processor', 'processor', [
      { sid: 'ConsumeTopicQueues', actions: SQS_CONSUME, resources: g.topicQueueArns },
      { sid: 'PaceRetries', actions: SQS_PACE_RETRIES, resources: g.topicQueueArns },
      // Crash isolation re-queues a crash survivor on its last receive, so its count starts again (no DLQ).
      { sid: 'IsolateCrashes', actions: ['sqs:SendMessage'], resources: g.topicQueueArns },
      { sid: 'DeliverToFirehose', actions: ['firehose:PutRecordBatch', 'firehose:PutRecord'], resources: [g.deliveryStreamArn] },
      { sid: 'Quarantine', actions: ['s3:PutObject'], resources: [objectArns(g.archiveBucketArn, S3_PREFIXES.quarantine)] },
      { sid: 'CheckpointsAndErrors', actions: DYNAMODB_UPDATE, resources: [g.checkpointsTableArn, g.errorsTableArn] },
      // Crash-isolation markers of a whole batch at once (CRASH_MARKERS in contracts): errors table only.
      { sid: 'CrashMarkers', actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], resources: [g.errorsTableArn] },
      ...this.keyUse({ services: ['sqs', 'dynamodb'], bucketArns: [g.archiveBucketArn] }),
      logWrite(g.logGroupArn),
    ]);
  }

  grantDlqProcessor(g: DlqProcessorGrant): IamRolePolicy {
    return this.allow('dlq-processor', 'dlq-processor', [
      { sid: 'ConsumeDlq', actions: SQS_CONSUME, resources: [g.dlqArn] },
      { sid: 'PaceRetries', actions: SQS_PACE_RETRIES, resources: [g.dlqArn] },
      { sid: 'Archive', actions: ['s3:PutObject'], resources: [objectArns(g.archiveBucketArn, S3_PREFIXES.dlqArchive)] },
      { sid: 'CheckpointsAndErrors', actions: DYNAMODB_UPDATE, resources: [g.checkpointsTableArn, g.errorsTableArn] },
      ...this.keyUse({ services: ['sqs', 'dynamodb'], bucketArns: [g.archiveBucketArn] }),
      logWrite(g.logGroupArn),
    ]);
  }

  grantCircuitBreaker(g: CircuitBreakerGrant): IamRolePolicy {
    return this.allow('circuit-breaker', 'circuit-breaker', [
      { sid: 'ToggleMappings', actions: ['lambda:UpdateEventSourceMapping'], resources: g.eventSourceMappingArns },
      { sid: 'FindMappings', actions: ['lambda:ListEventSourceMappings'], resources: ['*'] },
      { sid: 'BreakerState', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [g.locksTableArn] },
      { sid: 'ReadCheckpoints', actions: DYNAMODB_READ, resources: [g.checkpointsTableArn] },
      { sid: 'Notify', actions: ['sns:Publish'], resources: [g.alertTopicArn] },
      ...this.keyUse({ services: ['dynamodb', 'sns'] }),
      logWrite(g.logGroupArn),
    ]);
  }

  grantWaterBalance(g: WaterBalanceGrant): IamRolePolicy {
    return this.allow('water-balance', 'water-balance', [
      { sid: 'ReadCheckpoints', actions: DYNAMODB_READ, resources: [g.checkpointsTableArn] },
      { sid: 'DlqDepth', actions: ['sqs:GetQueueAttributes'], resources: [g.dlqArn] },
      ...this.keyUse({ services: ['dynamodb'] }),
      logWrite(g.logGroupArn),
    ]);
  }

  /**
   * The permissions AWS documents for a Firehose stream writing to an Iceberg table in the Glue catalog (Firehose
   * Developer Guide, "Controlling access with Amazon Data Firehose": grant access to an Apache Iceberg Tables
   * destination: glue:GetTable/GetDatabase/UpdateTable on catalog, database and table; S3 object and bucket
   * actions; kms:Decrypt/GenerateDataKey via S3), with the object actions narrowed to the table's location and the
   * error output's prefix (never quarantine/ or dlq-archive/). The local stack decides each of these calls.
   */
  grantFirehose(g: FirehoseGrant): IamRolePolicy {
    return this.allow('firehose', 'firehose-iceberg', [
      { sid: 'GlueTable', actions: ['glue:GetTable', 'glue:GetDatabase', 'glue:UpdateTable'], resources: [g.catalogArn, g.databaseArn, g.tableArn] },
      { sid: 'Buckets', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [g.warehouseBucketArn, g.backupBucketArn] },
      {
        sid: 'TableFiles',
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [objectArns(g.warehouseBucketArn, g.tableKeyPrefix)],
      },
      { sid: 'ErrorOutput', actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resources: [objectArns(g.backupBucketArn, S3_PREFIXES.firehoseErrors)] },
      ...this.keyUse({ services: [], bucketArns: [g.warehouseBucketArn, g.backupBucketArn] }),
      { sid: 'Logs', actions: ['logs:PutLogEvents'], resources: [`${g.logGroupArn}:*`] },
    ]);
  }

  /** What the Glue developer guide lists for the table optimizers (optimization-prerequisites), scoped to one table. */
  grantTableOptimizer(g: TableOptimizerGrant): IamRolePolicy {
    const { region, accountId } = this.props;
    return this.attach(this.tableOptimizerRole, 'table-optimizer', 'table-optimizer', [
      { sid: 'GlueTable', actions: ['glue:GetTable', 'glue:UpdateTable'], resources: [g.catalogArn, g.databaseArn, g.tableArn] },
      { sid: 'ListWarehouse', actions: ['s3:ListBucket'], resources: [g.warehouseBucketArn] },
      { sid: 'TableFiles', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objectArns(g.warehouseBucketArn, g.tableKeyPrefix)] },
      ...this.keyUse({ services: [], bucketArns: [g.warehouseBucketArn] }),
      {
        sid: 'Logs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: TABLE_OPTIMIZER_LOG_GROUPS.map((n) => `${logGroupArnPattern(region, accountId, n)}:*`),
      },
    ]);
  }

  /** The key through the named services only (kms:ViaService; S3 also by encryption context). */
  private keyUse(use: Omit<KeyUse, 'keyArn' | 'region'>): PolicyStatement[] {
    return keyUseStatements({ ...use, keyArn: this.keyArn, region: this.props.region });
  }
}

// What the Lambda SQS poller needs (AWSLambdaSQSQueueExecutionRole).
const SQS_CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
// The processors' own call: ChangeMessageVisibilityBatch (authorized by sqs:ChangeMessageVisibility) sets a
// failed record's backoff instead of leaving it invisible for the whole visibility timeout.
const SQS_PACE_RETRIES = ['sqs:ChangeMessageVisibility'];
const DYNAMODB_READ = ['dynamodb:Query'];
// The handlers write counters and error-tracker items with UpdateItem only (atomic ADD / SET).
const DYNAMODB_UPDATE = ['dynamodb:UpdateItem'];

/** The log group ARN attribute has no `:*` suffix; streams inside it need one. */
function logWrite(logGroupArn: string): PolicyStatement {
  return { sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroupArn}:*`] };
}

function trustStatement(kind: RoleKind, accountId: string): PolicyStatement {
  if (kind === 'firehose') {
    // AWS recommends the external id condition against the confused-deputy problem.
    return {
      principal: { Service: 'firehose.amazonaws.com' },
      actions: ['sts:AssumeRole'],
      conditions: { StringEquals: { 'sts:ExternalId': accountId } },
    };
  }
  return { principal: { Service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'] };
}

/**
 * Key policy. In a key policy `Resource: "*"` means this key. The account keeps administration through IAM
 * (listed actions instead of `kms:*`); CloudWatch Logs and CloudWatch alarms (publishing to the encrypted
 * topic) need statements here because they call KMS as services. SQS, DynamoDB, S3 and Firehose use the key
 * with the calling role's credentials (kms:ViaService), which the account statement already enables.
 */
function keyPolicy(namePrefix: string, accountId: string, region: string): PolicyStatement[] {
  const logGroups = [...FUNCTION_KINDS.map((k) => names.logGroup(names.fn(namePrefix, k))), names.firehoseLogGroup(namePrefix)].map((n) => logGroupArnPattern(region, accountId, n));
  return [
    {
      sid: 'AccountAdministersAndUsesKey',
      principal: { AWS: accountRootArn(region, accountId) },
      actions: [
        'kms:Create*',
        'kms:Describe*',
        'kms:Enable*',
        'kms:List*',
        'kms:Put*',
        'kms:Update*',
        'kms:Revoke*',
        'kms:Disable*',
        'kms:Get*',
        'kms:Delete*',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:RotateKeyOnDemand',
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:RetireGrant',
      ],
      resources: ['*'],
    },
    {
      sid: 'CloudWatchLogsEncryptsOwnLogGroups',
      principal: { Service: `logs.${region}.amazonaws.com` },
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroups } },
    },
    {
      sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      principal: { Service: 'cloudwatch.amazonaws.com' },
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ];
}

function resolveSecurityProps(p: SecurityModuleProps): Required<SecurityModuleProps> {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  requireProp(/^\d{12}$/.test(p.accountId), CONSTRUCT, 'accountId', p.accountId, 'must be a 12-digit AWS account id', 'set the account id from the environment file');
  requireProp(isRegion(p.region), CONSTRUCT, 'region', p.region, 'must be an AWS region code', 'use e.g. eu-west-1');
  const keyDeletionWindowDays = p.keyDeletionWindowDays ?? 30;
  // KMS accepts a pending-deletion window of 7 to 30 days.
  requireIntInRange(CONSTRUCT, 'keyDeletionWindowDays', keyDeletionWindowDays, 7, 30);
  return { ...p, keyDeletionWindowDays };
}
