import { Construct } from 'constructs';
import { Aspects, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { handlerTuning, type EnvironmentConfig } from '@lean-ops/config';
import { FUNCTION_KINDS, names, type FunctionKind } from '@lean-ops/contracts';
import { CatalogModule, ComputeModule, IngestionModule, MessagingModule, ObservabilityModule, SecurityAspect, SecurityModule, StateModule, StorageModule } from '@lean-ops/modules';

export interface LeanOpsStackProps {
  config: EnvironmentConfig;
  /** Directory with one handler bundle per function: `<bundleRoot>/<kind>/index.js`. */
  bundleRoot: string;
}

/**
 * One environment of Lean-Ops: the eight modules, wired by their typed outputs. Account and region come from
 * the environment file (no data source calls AWS at plan time); every resource passes SecurityAspect at synth.
 */
export class LeanOpsStack extends TerraformStack {
  readonly security: SecurityModule;
  readonly storage: StorageModule;
  readonly catalog: CatalogModule;
  readonly state: StateModule;
  readonly messaging: MessagingModule;
  readonly ingestion: IngestionModule;
  readonly observability: ObservabilityModule;
  readonly compute: ComputeModule;

  constructor(scope: Construct, id: string, props: LeanOpsStackProps) {
    super(scope, id);
    const c = props.config;
    const namePrefix = c.namePrefix;
    // The first allowed account owns the resources (and names the buckets).
    const accountId = c.allowedAccountIds[0];
    if (accountId === undefined) throw new Error(`${c.sourceFile}: allowed_account_ids is empty (the environment schema requires one)`);
    const region = c.region;
    const topicNames = c.topics.map((t) => t.name);

    new AwsProvider(this, 'aws', { region, allowedAccountIds: c.allowedAccountIds, defaultTags: [{ tags: c.tags }] });
    const backend = new S3Backend(this, { bucket: c.backend.bucket, key: c.backend.key, region: c.backend.region, encrypt: true });
    // S3-native state locking (Terraform >= 1.10) replaces the DynamoDB lock table; cdktf 0.21 has no typed option.
    backend.addOverride('use_lockfile', true);

    this.security = new SecurityModule(this, 'security', { namePrefix, accountId, region });
    const keyArn = this.security.keyArn;

    this.storage = new StorageModule(this, 'storage', {
      namePrefix,
      accountId,
      kmsKeyArn: keyArn,
      archive: { transitionDays: c.retention.archiveTransitionDays, expirationDays: c.retention.archiveExpirationDays },
      noncurrentVersionDays: c.retention.noncurrentVersionDays,
    });

    this.catalog = new CatalogModule(this, 'catalog', { namePrefix, accountId, region, warehouseBucketName: this.storage.warehouse.name });

    this.state = new StateModule(this, 'state', { namePrefix, kmsKeyArn: keyArn });
    const tables = this.state.tables;

    this.messaging = new MessagingModule(this, 'messaging', {
      namePrefix,
      topics: topicNames,
      kmsKeyArn: keyArn,
      functionTimeoutSeconds: c.lambda.timeoutSeconds,
      visibilityTimeoutSeconds: c.messaging.visibilityTimeoutSeconds,
      maxReceiveCount: c.messaging.maxReceiveCount,
      queueRetentionSeconds: c.messaging.queueRetentionSeconds,
      dlqRetentionSeconds: c.messaging.dlqRetentionSeconds,
    });

    this.ingestion = new IngestionModule(this, 'ingestion', {
      namePrefix,
      roleArn: this.security.roles.firehose.arn,
      catalog: this.catalog,
      backupBucketArn: this.storage.archive.arn,
      kmsKeyArn: keyArn,
      buffering: { sizeMb: c.firehose.bufferSizeMb, intervalSeconds: c.firehose.bufferIntervalSeconds },
      retryDurationSeconds: c.firehose.retryDurationSeconds,
      logRetentionDays: c.retention.logDays,
    });
    this.grantTableAccess(c.tableMaintenance);

    this.observability = new ObservabilityModule(this, 'observability', {
      namePrefix,
      region,
      kmsKeyArn: keyArn,
      topics: topicNames,
      dlqName: this.messaging.dlqName,
      deliveryStreamName: this.ingestion.streamName,
      processorFunctionName: names.fn(namePrefix, 'sqs-processor'),
      alarms: c.alarms,
    });

    const roleArns = Object.fromEntries(FUNCTION_KINDS.map((k) => [k, this.security.roles[k].arn])) as Record<FunctionKind, string>;
    this.compute = new ComputeModule(this, 'compute', {
      namePrefix,
      bundleRoot: props.bundleRoot,
      artifactsBucketName: this.storage.artifacts.name,
      roleArns,
      kmsKeyArn: keyArn,
      logRetentionDays: c.retention.logDays,
      processor: c.lambda,
      topics: this.computeTopics(c.topics),
      queueVisibilityTimeoutSeconds: this.messaging.visibilityTimeoutSeconds,
      dlq: { arn: this.messaging.dlqArn, url: this.messaging.dlqUrl, visibilityTimeoutSeconds: this.messaging.dlqVisibilityTimeoutSeconds },
      alertTopicArn: this.observability.alertTopicArn,
      env: {
        deliveryStream: this.ingestion.streamName,
        archiveBucket: this.storage.archive.name,
        checkpointsTable: tables.checkpoints.name,
        locksTable: tables.locks.name,
        errorsTable: tables.errors.name,
        ...handlerTuning(c),
      },
    });

    this.grantFunctionRoles();

    Aspects.of(this).add(new SecurityAspect());

    this.addOutputs();
  }

  /** Firehose's role on the table (Glue, warehouse, backup, logs), then the table optimizers' role before they run. */
  private grantTableAccess(maintenance: LeanOpsStackProps['config']['tableMaintenance']): void {
    this.ingestion.waitFor(
      this.security.grantFirehose({
        catalogArn: this.catalog.catalogArn,
        databaseArn: this.catalog.databaseArn,
        tableArn: this.catalog.tableArn,
        warehouseBucketArn: this.storage.warehouse.arn,
        tableKeyPrefix: this.catalog.tableKeyPrefix,
        backupBucketArn: this.storage.archive.arn,
        logGroupArn: this.ingestion.logGroupArn,
      }),
    );
    // Glue assumes the optimizer role when an optimizer runs: its policy goes first.
    this.catalog.maintain(
      { roleArn: this.security.tableOptimizerRole.arn, ...maintenance },
      this.security.grantTableOptimizer({
        catalogArn: this.catalog.catalogArn,
        databaseArn: this.catalog.databaseArn,
        tableArn: this.catalog.tableArn,
        warehouseBucketArn: this.storage.warehouse.arn,
        tableKeyPrefix: this.catalog.tableKeyPrefix,
      }),
    );
  }

  /** Each topic's queue, mapping settings and error-rate alarm, as the compute module takes them. */
  private computeTopics(topics: LeanOpsStackProps['config']['topics']) {
    return topics.map((t) => {
      const queue = this.messaging.queueFor(t.name);
      return {
        topic: t.name,
        queueArn: queue.arn,
        queueName: queue.name,
        queueUrl: queue.url,
        batchSize: t.batchSize,
        batchingWindowSeconds: t.batchingWindowSeconds,
        maximumConcurrency: t.maximumConcurrency,
        expectedFields: t.expectedFields,
        errorRateAlarmName: this.observability.errorRateAlarms.find((a) => a.topic === t.name)!.name,
      };
    });
  }

  /** The functions' roles: what each handler calls, scoped to the resources it calls them on. */
  private grantFunctionRoles(): void {
    const tables = this.state.tables;
    // Lambda checks the role's queue permissions when a mapping is created: the consumer policies go first.
    this.compute.mappingsWaitFor(
      this.security.grantProcessor({
        topicQueueArns: this.messaging.queueArns,
        deliveryStreamArn: this.ingestion.streamArn,
        archiveBucketArn: this.storage.archive.arn,
        checkpointsTableArn: tables.checkpoints.arn,
        errorsTableArn: tables.errors.arn,
        logGroupArn: this.compute.logGroupArn('sqs-processor'),
      }),
      this.security.grantDlqProcessor({
        dlqArn: this.messaging.dlqArn,
        archiveBucketArn: this.storage.archive.arn,
        checkpointsTableArn: tables.checkpoints.arn,
        errorsTableArn: tables.errors.arn,
        logGroupArn: this.compute.logGroupArn('dlq-processor'),
      }),
    );
    this.security.grantCircuitBreaker({
      eventSourceMappingArns: this.compute.topicMappingArns,
      locksTableArn: tables.locks.arn,
      checkpointsTableArn: tables.checkpoints.arn,
      alertTopicArn: this.observability.alertTopicArn,
      logGroupArn: this.compute.logGroupArn('circuit-breaker'),
    });
    this.security.grantWaterBalance({
      checkpointsTableArn: tables.checkpoints.arn,
      dlqArn: this.messaging.dlqArn,
      logGroupArn: this.compute.logGroupArn('water-balance'),
    });
  }

  private addOutputs(): void {
    const tables = this.state.tables;
    new TerraformOutput(this, 'queue_urls', {
      description: 'Topic queue URLs by topic',
      value: Object.fromEntries(this.messaging.topicQueues.map((q) => [q.topic, q.url])),
    });
    new TerraformOutput(this, 'dlq_url', { value: this.messaging.dlqUrl });
    new TerraformOutput(this, 'delivery_stream_name', { value: this.ingestion.streamName });
    new TerraformOutput(this, 'table_names', {
      value: { checkpoints: tables.checkpoints.name, locks: tables.locks.name, errors: tables.errors.name },
    });
    new TerraformOutput(this, 'raw_table', { value: `${this.catalog.databaseName}.${this.catalog.tableName}` });
    new TerraformOutput(this, 'alert_topic_arn', { value: this.observability.alertTopicArn });
  }
}
