import { Construct } from 'constructs';
import { dependable, type ITerraformDependable } from 'cdktf';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { FIREHOSE_ERROR_OUTPUT_PREFIX, LIMITS, NAME_PREFIX_PATTERN, names } from '@lean-ops/contracts';
import { requireIntInRange, requireLogRetention, requireProp } from './validation';

const CONSTRUCT = 'IngestionModule';

/** Firehose keeps retrying a failed Iceberg delivery for at most 7,200 seconds. */
export const FIREHOSE_MAX_RETRY_SECONDS = 7200;

export interface IngestionModuleProps {
  namePrefix: string;
  /** SecurityModule's Firehose role; its permissions come from SecurityModule.grantFirehose. */
  roleArn: string;
  catalog: { catalogArn: string; databaseName: string; tableName: string };
  /** Bucket for records the Iceberg destination could not write (under FIREHOSE_ERROR_OUTPUT_PREFIX). */
  backupBucketArn: string;
  kmsKeyArn: string;
  buffering: { sizeMb: number; intervalSeconds: number };
  retryDurationSeconds: number;
  logRetentionDays: number;
}

/**
 * The Direct PUT delivery stream to the RAW Iceberg table, with failed records backed up to S3 and delivery
 * errors logged to CloudWatch.
 */
export class IngestionModule extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly streamArn: string;
  readonly streamName: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: IngestionModuleProps) {
    super(scope, id);
    validateIngestionProps(props);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: names.firehoseLogGroup(props.namePrefix),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.logGroupArn = this.logGroup.arn;
    const deliveryLog = new CloudwatchLogStream(this, 'log-stream-iceberg', { logGroupName: this.logGroup.name, name: 'IcebergDelivery' });
    const backupLog = new CloudwatchLogStream(this, 'log-stream-backup', { logGroupName: this.logGroup.name, name: 'BackupDelivery' });

    this.stream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      name: names.deliveryStream(props.namePrefix),
      destination: 'iceberg',
      serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.kmsKeyArn },
      icebergConfiguration: {
        roleArn: props.roleArn,
        catalogArn: props.catalog.catalogArn,
        bufferingSize: props.buffering.sizeMb,
        bufferingInterval: props.buffering.intervalSeconds,
        retryDuration: props.retryDurationSeconds,
        s3BackupMode: 'FailedDataOnly',
        destinationTableConfiguration: [{ databaseName: props.catalog.databaseName, tableName: props.catalog.tableName }],
        cloudwatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.name, logStreamName: deliveryLog.name },
        s3Configuration: {
          roleArn: props.roleArn,
          bucketArn: props.backupBucketArn,
          errorOutputPrefix: FIREHOSE_ERROR_OUTPUT_PREFIX,
          kmsKeyArn: props.kmsKeyArn,
          cloudwatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.name, logStreamName: backupLog.name },
        },
      },
    });
    this.streamArn = this.stream.arn;
    this.streamName = this.stream.name;
  }

  /**
   * Create the stream only after these exist. Firehose checks the role's Glue and S3 access when the stream is
   * created, so the role's policy (attached after this module exists) must come first.
   */
  waitFor(...dependencies: ITerraformDependable[]): void {
    this.stream.dependsOn = [...(this.stream.dependsOn ?? []), ...dependencies.map((d) => dependable(d))];
  }
}

function validateIngestionProps(p: IngestionModuleProps): void {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  requireIntInRange(CONSTRUCT, 'buffering.sizeMb', p.buffering.sizeMb, LIMITS.firehoseMinBufferMb, LIMITS.firehoseMaxBufferMb);
  requireIntInRange(CONSTRUCT, 'buffering.intervalSeconds', p.buffering.intervalSeconds, 0, LIMITS.firehoseMaxBufferSeconds);
  requireIntInRange(CONSTRUCT, 'retryDurationSeconds', p.retryDurationSeconds, 0, FIREHOSE_MAX_RETRY_SECONDS);
  requireLogRetention(CONSTRUCT, 'logRetentionDays', p.logRetentionDays, LIMITS.logRetentionDays);
}
