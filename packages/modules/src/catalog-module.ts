import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { GlueCatalogTableOptimizer } from '@cdktf/provider-aws/lib/glue-catalog-table-optimizer';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { NAME_PREFIX_PATTERN, RAW_COLUMNS, names, tableLocation, type RawColumn, type TableMaintenanceSettings } from '@lean-ops/contracts';
import { glueCatalogArn } from './arn';
import { requireIntInRange, requireProp } from './validation';

const CONSTRUCT = 'CatalogModule';

export interface CatalogModuleProps {
  namePrefix: string;
  accountId: string;
  region: string;
  /** Bucket holding the Iceberg warehouse (the table's data and metadata). */
  warehouseBucketName: string;
  /** Columns of the RAW table. Default: RAW_COLUMNS from contracts. */
  columns?: readonly RawColumn[];
}

/**
 * The Glue database and the RAW table as an Iceberg V2 table (Firehose delivers only to V2 tables).
 * Glue writes the initial Iceberg metadata itself (metadata_operation CREATE).
 */
export class CatalogModule extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  /** Glue has no catalog resource: its ARN is built here once, from account and region. */
  readonly catalogArn: string;
  readonly databaseName: string;
  readonly databaseArn: string;
  readonly tableName: string;
  readonly tableArn: string;
  /** `s3://<warehouse>/warehouse/<database>/<table>/` */
  readonly tableLocationUri: string;
  /** `warehouse/<database>/<table>/`: the table's key prefix in the warehouse bucket (IAM object scopes). */
  readonly tableKeyPrefix: string;
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: CatalogModuleProps) {
    super(scope, id);
    requireProp(NAME_PREFIX_PATTERN.test(props.namePrefix), CONSTRUCT, 'namePrefix', props.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
    requireProp(/^\d{12}$/.test(props.accountId), CONSTRUCT, 'accountId', props.accountId, 'must be a 12-digit AWS account id', 'set the account id from the environment file');
    const columns = props.columns ?? RAW_COLUMNS;
    requireProp(columns.length > 0, CONSTRUCT, 'columns', columns, 'the table needs at least one column', 'pass RAW_COLUMNS');
    const dupes = columns.map((c) => c.name).filter((n, i, all) => all.indexOf(n) !== i);
    requireProp(dupes.length === 0, CONSTRUCT, 'columns', dupes, 'column names must be unique', 'remove the duplicate columns');

    const dbName = names.glueDatabase(props.namePrefix);
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: dbName,
      catalogId: props.accountId,
      description: `Lean-Ops ${props.namePrefix} lake`,
    });
    this.tableKeyPrefix = tableLocation(dbName, names.rawTable);
    this.tableLocationUri = `s3://${props.warehouseBucketName}/${this.tableKeyPrefix}`;
    this.table = new GlueCatalogTable(this, 'raw', {
      name: names.rawTable,
      databaseName: this.database.name,
      catalogId: props.accountId,
      tableType: 'EXTERNAL_TABLE',
      description: 'RAW events as delivered by Firehose (Iceberg V2)',
      openTableFormatInput: { icebergInput: { metadataOperation: 'CREATE', version: '2' } },
      storageDescriptor: {
        location: this.tableLocationUri,
        columns: columns.map((c) => ({ name: c.name, type: c.glueType, comment: c.doc })),
      },
      // Every Iceberg commit rewrites `parameters.metadata_location` (and column parameters); applying the
      // configured values back would detach the table from its data. Schema changes go through Iceberg.
      lifecycle: { ignoreChanges: ['parameters', 'storage_descriptor'] },
    });

    this.catalogArn = glueCatalogArn(props.region, props.accountId);
    this.databaseName = this.database.name;
    this.databaseArn = this.database.arn;
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.accountId = props.accountId;
  }

  /**
   * Glue table optimizers on the RAW table: compaction, snapshot retention (expiring snapshots and the files only they
   * reference) and orphan-file deletion. Firehose commits a snapshot every buffer interval and, for a self-managed
   * Iceberg table, leaves all table maintenance to its owner (Firehose developer guide, apache-iceberg-destination).
   * Each optimizer is created after `dependencies` (the role's policy: Glue assumes the role when it runs).
   */
  maintain(m: TableMaintenance, ...dependencies: ITerraformDependable[]): Record<TableOptimizerType, GlueCatalogTableOptimizer> {
    validateMaintenance(m);
    const common = { catalogId: this.accountId, databaseName: this.databaseName, tableName: this.tableName, dependsOn: dependencies };
    const optimizer = (type: TableOptimizerType, enabled: boolean, extra: Record<string, unknown> = {}) =>
      new GlueCatalogTableOptimizer(this, `optimizer-${type}`, { ...common, type, configuration: [{ enabled, roleArn: m.roleArn, ...extra }] });
    return {
      compaction: optimizer('compaction', m.compaction),
      retention: optimizer('retention', m.snapshotRetention, {
        retentionConfiguration: [
          {
            icebergConfiguration: [{ snapshotRetentionPeriodInDays: m.snapshotRetentionDays, numberOfSnapshotsToRetain: m.snapshotsToRetain, cleanExpiredFiles: true }],
          },
        ],
      }),
      orphan_file_deletion: optimizer('orphan_file_deletion', m.orphanFileDeletion, {
        orphanFileDeletionConfiguration: [{ icebergConfiguration: [{ orphanFileRetentionPeriodInDays: m.orphanFileRetentionDays, location: this.tableLocationUri }] }],
      }),
    };
  }
}

export const TABLE_OPTIMIZER_TYPES = ['compaction', 'retention', 'orphan_file_deletion'] as const;
export type TableOptimizerType = (typeof TABLE_OPTIMIZER_TYPES)[number];

export interface TableMaintenance extends TableMaintenanceSettings {
  /** SecurityModule.tableOptimizerRole.arn */
  roleArn: string;
}

function validateMaintenance(m: TableMaintenance): void {
  requireIntInRange(CONSTRUCT, 'maintain.snapshotRetentionDays', m.snapshotRetentionDays, 1, 36500);
  requireIntInRange(CONSTRUCT, 'maintain.snapshotsToRetain', m.snapshotsToRetain, 1, 1_000_000);
  requireIntInRange(CONSTRUCT, 'maintain.orphanFileRetentionDays', m.orphanFileRetentionDays, 1, 36500);
}
