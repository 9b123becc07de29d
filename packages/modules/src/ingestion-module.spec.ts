import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FIREHOSE_ERROR_OUTPUT_PREFIX, names } from '@lean-ops/contracts';
import { IngestionModule, type IngestionModuleProps } from './ingestion-module';
import { KEY_ARN, PREFIX, all, one, synth } from '../test/support';

const props: IngestionModuleProps = {
  namePrefix: PREFIX,
  roleArn: 'arn:aws:iam::123456789012:role/fh',
  catalog: { catalogArn: 'arn:aws:glue:eu-west-1:123456789012:catalog', databaseName: 'lo_test_lake', tableName: 'raw_events' },
  backupBucketArn: 'arn:aws:s3:::archive',
  kmsKeyArn: KEY_ARN,
  buffering: { sizeMb: 64, intervalSeconds: 60 },
  retryDurationSeconds: 300,
  logRetentionDays: 30,
};

describe('IngestionModule', () => {
  it('delivers to the Iceberg table with buffering, retries, S3 backup of failed rows and logging', () => {
    const s = synth((stack) => new IngestionModule(stack, 'ingestion', props));
    const stream = one(s, 'aws_kinesis_firehose_delivery_stream');
    expect(stream.name).toBe(names.deliveryStream(PREFIX));
    expect(stream.destination).toBe('iceberg');
    expect(stream.server_side_encryption).toEqual({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: KEY_ARN });
    const ice = stream.iceberg_configuration;
    expect(ice).toMatchObject({
      role_arn: props.roleArn,
      catalog_arn: props.catalog.catalogArn,
      buffering_size: 64,
      buffering_interval: 60,
      retry_duration: 300,
      s3_backup_mode: 'FailedDataOnly',
      destination_table_configuration: [{ database_name: 'lo_test_lake', table_name: 'raw_events' }],
    });
    expect(ice.s3_configuration).toMatchObject({ bucket_arn: 'arn:aws:s3:::archive', error_output_prefix: FIREHOSE_ERROR_OUTPUT_PREFIX, role_arn: props.roleArn });
    expect(ice.cloudwatch_logging_options.enabled).toBe(true);
    expect(ice.cloudwatch_logging_options.log_group_name).toMatch(/aws_cloudwatch_log_group\.\S+\.name/);
    expect(ice.cloudwatch_logging_options.log_stream_name).toMatch(/aws_cloudwatch_log_stream\.\S+\.name/);
    const group = one(s, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: names.firehoseLogGroup(PREFIX), retention_in_days: 30, kms_key_id: KEY_ARN });
    expect(all(s, 'aws_cloudwatch_log_stream')).toHaveLength(2);
  });

  it('creates the stream after the dependencies it is told to wait for', () => {
    const s = synth((stack) => {
      const ingestion = new IngestionModule(stack, 'ingestion', props);
      const policy = new IamRolePolicy(stack, 'grant', { role: 'fh', policy: '{}' });
      ingestion.waitFor(policy);
    });
    expect(one(s, 'aws_kinesis_firehose_delivery_stream').depends_on).toEqual(['aws_iam_role_policy.grant']);
  });

  describe('refuses', () => {
    const build = (over: Partial<IngestionModuleProps>) => () => synth((stack) => new IngestionModule(stack, 'i', { ...props, ...over }));
    it('buffering outside the Iceberg limits', () => {
      expect(build({ buffering: { sizeMb: 256, intervalSeconds: 60 } })).toThrow(
        'IngestionModule: buffering.sizeMb = 256 is invalid: must be an integer from 1 to 128. Fix: set buffering.sizeMb to a value from 1 to 128',
      );
      expect(build({ buffering: { sizeMb: 64, intervalSeconds: 901 } })).toThrow(/buffering.intervalSeconds = 901 is invalid: must be an integer from 0 to 900/);
    });
    it('a retry duration above 7200 s', () => {
      expect(build({ retryDurationSeconds: 7201 })).toThrow(/retryDurationSeconds = 7201 is invalid: must be an integer from 0 to 7200/);
    });
    it('a log retention CloudWatch does not accept', () => {
      expect(build({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 is invalid: CloudWatch Logs accepts only 1, 3, 5, 7, 14.*Fix: use one of the accepted values, e\.g\. 14/);
    });
  });
});
