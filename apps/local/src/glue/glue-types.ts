/**
 * The Glue Data Catalog's objects as its API returns them (Glue API reference: Database, Table, Column,
 * StorageDescriptor). Times are epoch seconds, as the awsJson1_1 protocol carries timestamps.
 */
export interface GlueColumn {
  Name: string;
  Type?: string;
  Comment?: string;
  Parameters?: Record<string, string>;
}

export interface GlueStorageDescriptor {
  Columns?: GlueColumn[];
  Location?: string;
  InputFormat?: string;
  OutputFormat?: string;
  Compressed?: boolean;
  NumberOfBuckets?: number;
  SerdeInfo?: Record<string, unknown>;
  Parameters?: Record<string, string>;
  StoredAsSubDirectories?: boolean;
}

export interface GlueDatabase {
  Name: string;
  Description?: string;
  LocationUri?: string;
  Parameters?: Record<string, string>;
  CreateTime: number;
  CreateTableDefaultPermissions: Array<{ Principal: { DataLakePrincipalIdentifier: string }; Permissions: string[] }>;
  CatalogId: string;
}

export interface GlueTable {
  Name: string;
  DatabaseName: string;
  Description?: string;
  Owner?: string;
  CreateTime: number;
  UpdateTime: number;
  Retention: number;
  StorageDescriptor?: GlueStorageDescriptor;
  PartitionKeys: GlueColumn[];
  TableType?: string;
  Parameters: Record<string, string>;
  CreatedBy: string;
  IsRegisteredWithLakeFormation: boolean;
  CatalogId: string;
  /** A string of an integer, incremented by 1 on every update (Glue API reference, TableVersion). */
  VersionId: string;
}

/** UpdateTable's TableInput: what a caller may set (Glue API reference, TableInput). */
export type GlueTableInput = Partial<Pick<GlueTable, 'Description' | 'Owner' | 'Retention' | 'StorageDescriptor' | 'PartitionKeys' | 'TableType' | 'Parameters'>> & { Name?: string };

/** What the catalog keeps: databases by name, tables by `<database>/<table>`. */
export interface CatalogState {
  databases: Record<string, GlueDatabase>;
  tables: Record<string, GlueTable>;
}
