import { TABLE_KINDS, TABLE_SCHEMAS, names } from '@lean-ops/contracts';
import { StateModule } from './state-module';
import { KEY_ARN, PREFIX, all, synth } from '../test/support';

describe('StateModule', () => {
  const s = synth((stack) => new StateModule(stack, 'state', { namePrefix: PREFIX, kmsKeyArn: KEY_ARN }));
  const table = (kind: (typeof TABLE_KINDS)[number]) => all(s, 'aws_dynamodb_table').find((t) => t.name === names.table(PREFIX, kind))!;

  it.each(TABLE_KINDS)('creates %s with the contracts keys, on-demand, PITR, KMS and TTL', (kind) => {
    const t = table(kind);
    const schema = TABLE_SCHEMAS[kind];
    expect(t.billing_mode).toBe('PAY_PER_REQUEST');
    expect(t.hash_key).toBe(schema.partitionKey);
    expect(t.range_key).toBe(schema.sortKey);
    expect(t.attribute).toEqual([{ name: schema.partitionKey, type: 'S' }, ...(schema.sortKey ? [{ name: schema.sortKey, type: 'S' }] : [])]);
    expect(t.point_in_time_recovery).toEqual({ enabled: true });
    expect(t.server_side_encryption).toEqual({ enabled: true, kms_key_arn: KEY_ARN });
    expect(t.ttl).toEqual({ attribute_name: schema.ttlAttribute, enabled: true });
    expect(t.deletion_protection_enabled).toBe(true);
  });

  it('keys the error tracker by topic_name and message_id', () => {
    expect(table('errors')).toMatchObject({ hash_key: 'topic_name', range_key: 'message_id' });
  });

  it('refuses a missing key and a bad prefix', () => {
    expect(() => synth((stack) => new StateModule(stack, 's', { namePrefix: PREFIX, kmsKeyArn: '' }))).toThrow(
      'StateModule: kmsKeyArn = "" is invalid: tables are encrypted with a customer managed key. Fix: pass SecurityModule.keyArn',
    );
    expect(() => synth((stack) => new StateModule(stack, 's', { namePrefix: 'Bad_Prefix', kmsKeyArn: KEY_ARN }))).toThrow(/namePrefix = "Bad_Prefix" is invalid/);
  });
});
