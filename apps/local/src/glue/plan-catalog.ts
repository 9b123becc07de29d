import { GLUE_PARAMETERS, ICEBERG_TABLE_TYPE, initialMetadata, metadataFileName, stripTrailingSlash, type FileIO } from '@lean-ops/iceberg';
import type { GlueDatabaseSpec, GlueTableSpec } from '../plan/build-glue-catalog';
import type { GlueCatalog } from './glue-catalog';
import type { GlueColumn } from './glue-types';

const column = (c: { name: string; type: string; comment?: string }): GlueColumn => ({ Name: c.name, Type: c.type, ...(c.comment ? { Comment: c.comment } : {}) });

/**
 * Creates the plan's databases and tables that the catalog does not hold yet (a restarted stack keeps its own).
 * A table declared with open_table_format_input.iceberg_input (metadata_operation CREATE) gets what Glue gives it
 * on AWS: an Iceberg V2 metadata file with no snapshot under `<location>/metadata/`, and the parameters
 * `table_type=ICEBERG` and `metadata_location` (Glue API reference, IcebergInput; Iceberg's GlueCatalog reads
 * the same parameters). The metadata file is written first, so a crash in between leaves at most an unused file.
 */
export async function createPlanCatalog(catalog: GlueCatalog, plan: { databases: GlueDatabaseSpec[]; tables: GlueTableSpec[] }, o: { io: FileIO; createdBy: string }): Promise<void> {
  for (const d of plan.databases) {
    catalog.ensureDatabase({ Name: d.name, Description: d.description, LocationUri: d.locationUri, Parameters: d.parameters });
  }
  for (const t of plan.tables) {
    if (catalog.hasTable(t.database, t.name)) continue;
    const parameters = { ...t.parameters };
    if (t.iceberg) {
      if (t.iceberg.version !== '2') throw new Error(`${t.address}: Iceberg format version ${t.iceberg.version}: the local catalog writes version 2 tables only`);
      const location = stripTrailingSlash(t.location);
      const metadataLocation = `${location}/metadata/${metadataFileName(0)}`;
      await o.io.write(metadataLocation, JSON.stringify(initialMetadata(location, Date.now()), null, 2));
      parameters[GLUE_PARAMETERS.tableType] = ICEBERG_TABLE_TYPE;
      parameters[GLUE_PARAMETERS.metadataLocation] = metadataLocation;
    }
    catalog.createTable(
      t.database,
      {
        Name: t.name,
        Description: t.description,
        Owner: t.owner,
        TableType: t.tableType,
        Parameters: parameters,
        PartitionKeys: t.partitionKeys.map(column),
        StorageDescriptor: { Columns: t.columns.map(column), Location: t.location, Compressed: false, NumberOfBuckets: 0, StoredAsSubDirectories: false },
      },
      o.createdBy,
    );
  }
}
