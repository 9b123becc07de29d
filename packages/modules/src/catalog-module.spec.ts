import { RAW_COLUMNS, names, tableLocation } from '@lean-ops/contracts';
import { CatalogModule } from './catalog-module';
import { ACCOUNT, PREFIX, REGION, one, synth, resources } from '../test/support';

const props = { namePrefix: PREFIX, accountId: ACCOUNT, region: REGION, warehouseBucketName: 'wh-bucket' };

describe('CatalogModule', () => {
  it('creates the database and the RAW table as an Iceberg V2 table with the contracts columns', () => {
    let catalog!: CatalogModule;
    const s = synth((stack) => {
      catalog = new CatalogModule(stack, 'catalog', props);
    });
    const db = one(s, 'aws_glue_catalog_database');
    expect(db).toMatchObject({ name: names.glueDatabase(PREFIX), catalog_id: ACCOUNT });
    const table = one(s, 'aws_glue_catalog_table');
    expect(table.name).toBe(names.rawTable);
    expect(table.database_name).toMatch(/aws_glue_catalog_database\.\S+\.name/);
    expect(table.open_table_format_input).toEqual({ iceberg_input: { metadata_operation: 'CREATE', version: '2' } });
    expect(table.storage_descriptor.location).toBe(`s3://wh-bucket/${tableLocation(names.glueDatabase(PREFIX), names.rawTable)}`);
    expect(table.storage_descriptor.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual(RAW_COLUMNS.map((c) => [c.name, c.glueType]));
    expect(catalog.catalogArn).toBe(`arn:aws:glue:${REGION}:${ACCOUNT}:catalog`);
  });

  it('leaves the parameters and columns Iceberg commits rewrite to Glue', () => {
    const s = synth((stack) => new CatalogModule(stack, 'catalog', props));
    expect(one(s, 'aws_glue_catalog_table').lifecycle).toEqual({ ignore_changes: ['parameters', 'storage_descriptor'] });
  });

  it('maintains the RAW table: compaction, snapshot retention and orphan-file deletion with one scoped role', () => {
    const s = synth((stack) => {
      const catalog = new CatalogModule(stack, 'catalog', props);
      catalog.maintain({
        roleArn: 'arn:aws:iam::123456789012:role/opt',
        compaction: true,
        snapshotRetention: true,
        snapshotRetentionDays: 5,
        snapshotsToRetain: 1,
        orphanFileDeletion: false,
        orphanFileRetentionDays: 3,
      });
    });
    const optimizers = Object.values(resources(s, 'aws_glue_catalog_table_optimizer'));
    const byType = Object.fromEntries(optimizers.map((o: any) => [o.type, o]));
    expect(Object.keys(byType).sort()).toEqual(['compaction', 'orphan_file_deletion', 'retention']);
    for (const o of optimizers as any[]) {
      expect(o.catalog_id).toBe(ACCOUNT);
      expect(o.database_name).toMatch(/aws_glue_catalog_database\.\S+\.name/);
      expect(o.table_name).toMatch(/aws_glue_catalog_table\.\S+\.name/);
      expect(o.configuration[0].role_arn).toBe('arn:aws:iam::123456789012:role/opt');
    }
    expect(byType.compaction.configuration[0].enabled).toBe(true);
    expect(byType.retention.configuration[0].retention_configuration[0].iceberg_configuration[0]).toEqual({
      snapshot_retention_period_in_days: 5,
      number_of_snapshots_to_retain: 1,
      clean_expired_files: true,
    });
    const orphan = byType.orphan_file_deletion.configuration[0];
    expect(orphan.enabled).toBe(false);
    expect(orphan.orphan_file_deletion_configuration[0].iceberg_configuration[0]).toEqual({
      orphan_file_retention_period_in_days: 3,
      location: `s3://wh-bucket/${tableLocation(names.glueDatabase(PREFIX), names.rawTable)}`,
    });
  });

  it('refuses a retention below one day', () => {
    const m = { roleArn: 'r', compaction: true, snapshotRetention: true, snapshotRetentionDays: 0, snapshotsToRetain: 1, orphanFileDeletion: true, orphanFileRetentionDays: 3 };
    expect(() => synth((stack) => new CatalogModule(stack, 'c', props).maintain(m))).toThrow(/maintain.snapshotRetentionDays = 0 is invalid/);
  });

  it('uses the partition of the region in the catalog ARN', () => {
    let catalog!: CatalogModule;
    synth((stack) => {
      catalog = new CatalogModule(stack, 'catalog', { ...props, region: 'cn-north-1' });
    });
    expect(catalog.catalogArn).toBe(`arn:aws-cn:glue:cn-north-1:${ACCOUNT}:catalog`);
  });

  it('refuses duplicate or missing columns', () => {
    expect(() => synth((stack) => new CatalogModule(stack, 'c', { ...props, accountId: '12' }))).toThrow('CatalogModule: accountId = "12" is invalid: must be a 12-digit AWS account id');
    expect(() => synth((stack) => new CatalogModule(stack, 'c', { ...props, columns: [RAW_COLUMNS[0], RAW_COLUMNS[0]] }))).toThrow(
      'CatalogModule: columns = ["topic_name"] is invalid: column names must be unique. Fix: remove the duplicate columns',
    );
    expect(() => synth((stack) => new CatalogModule(stack, 'c', { ...props, columns: [] }))).toThrow(/columns = \[\] is invalid: the table needs at least one column/);
  });
});
