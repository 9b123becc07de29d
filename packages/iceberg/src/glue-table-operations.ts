import { randomUUID } from 'node:crypto';
import { ConcurrentModificationException, GetTableCommand, UpdateTableCommand, type GlueClient, type Table, type TableInput } from '@aws-sdk/client-glue';
import { TableNotFoundError, UnsupportedTableError } from './errors';
import type { FileIO } from './file-io';
import { parseMetadata } from './table-metadata';
import { stripTrailingSlash, type LoadedTable, type TableOperations } from './table-operations';

/** Table parameters Iceberg's GlueCatalog keeps (BaseMetastoreTableOperations; GlueTableOperations.prepareProperties). */
export const GLUE_PARAMETERS = { tableType: 'table_type', metadataLocation: 'metadata_location', previousMetadataLocation: 'previous_metadata_location' } as const;
export const ICEBERG_TABLE_TYPE = 'ICEBERG';

/** `metadata/<5-digit version>-<uuid>.metadata.json`, as BaseMetastoreTableOperations.newTableMetadataFilePath names them. */
export const metadataFileName = (version: number) => `${String(version).padStart(5, '0')}-${randomUUID()}.metadata.json`;
const VERSION_OF = /\/(\d+)-[^/]*\.metadata\.json$/;
export const metadataVersion = (location: string) => Number(VERSION_OF.exec(location)?.[1] ?? -1);

export interface GlueTableOptions {
  glue: GlueClient;
  io: FileIO;
  database: string;
  table: string;
  catalogId?: string;
}

/**
 * An Iceberg table registered in the Glue Data Catalog, committed the way Iceberg's GlueTableOperations does
 * (apache/iceberg aws/.../glue/GlueTableOperations.java, doCommit): write the new metadata file, GetTable, check
 * that `metadata_location` is still the base's, then UpdateTable with the new `metadata_location`, the old one as
 * `previous_metadata_location` and the table's `VersionId` (Glue's optimistic lock: a table changed since answers
 * ConcurrentModificationException). A failed commit deletes its metadata file (cleanupMetadataAndUnlock).
 */
export function glueTable(o: GlueTableOptions): TableOperations {
  const name = `${o.database}.${o.table}`;
  const getTable = async (): Promise<Table> => {
    const r = await o.glue.send(new GetTableCommand({ CatalogId: o.catalogId, DatabaseName: o.database, Name: o.table }));
    if (!r.Table) throw new TableNotFoundError(name);
    return r.Table;
  };
  return {
    io: o.io,
    name,
    async current(): Promise<LoadedTable | undefined> {
      const table = await getTable();
      const params = table.Parameters ?? {};
      if (params[GLUE_PARAMETERS.tableType]?.toUpperCase() !== ICEBERG_TABLE_TYPE)
        throw new UnsupportedTableError(`Glue table ${name} is not an Iceberg table (table_type ${String(params[GLUE_PARAMETERS.tableType])})`);
      const location = params[GLUE_PARAMETERS.metadataLocation];
      if (!location) return undefined;
      const text = Buffer.from(await o.io.read(location)).toString('utf8');
      return { version: metadataVersion(location), metadata: parseMetadata(text, location), metadataLocation: location };
    },
    async newTableLocation() {
      const location = (await getTable()).StorageDescriptor?.Location;
      if (!location) throw new UnsupportedTableError(`Glue table ${name} has no StorageDescriptor.Location`);
      return stripTrailingSlash(location);
    },
    fileLocation: (base, dir, fileName) => `${stripTrailingSlash(base.location)}/${dir}/${fileName}`,
    async commit(base, next) {
      const location = `${stripTrailingSlash(next.location)}/metadata/${metadataFileName((base?.version ?? -1) + 1)}`;
      await o.io.write(location, JSON.stringify(next, null, 2));
      let committed = false;
      try {
        const table = await getTable();
        const params = table.Parameters ?? {};
        // checkMetadataLocation: another writer moved the table since `base` was read.
        if ((params[GLUE_PARAMETERS.metadataLocation] ?? undefined) !== base?.metadataLocation) return undefined;
        const parameters: Record<string, string> = { ...params, [GLUE_PARAMETERS.tableType]: ICEBERG_TABLE_TYPE, [GLUE_PARAMETERS.metadataLocation]: location };
        if (base) parameters[GLUE_PARAMETERS.previousMetadataLocation] = base.metadataLocation;
        await o.glue.send(new UpdateTableCommand({ CatalogId: o.catalogId, DatabaseName: o.database, TableInput: tableInput(table, parameters), VersionId: table.VersionId }));
        committed = true;
        return location;
      } catch (err) {
        if (err instanceof ConcurrentModificationException) return undefined;
        throw err;
      } finally {
        if (!committed) await o.io.delete(location).catch(() => undefined);
      }
    },
  };
}

/** The table as a TableInput (UpdateTable replaces the whole definition): unchanged but for its parameters. */
function tableInput(t: Table, parameters: Record<string, string>): TableInput {
  return {
    Name: t.Name,
    Description: t.Description,
    Owner: t.Owner,
    Retention: t.Retention,
    StorageDescriptor: t.StorageDescriptor,
    PartitionKeys: t.PartitionKeys,
    TableType: t.TableType ?? 'EXTERNAL_TABLE',
    Parameters: parameters,
  };
}
