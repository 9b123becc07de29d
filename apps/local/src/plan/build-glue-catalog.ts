import { resolvedArgs, type AttributeTable } from './resolve-references';
import { firstBlock, type TerraformResource } from './terraform-json';

/** An aws_glue_catalog_database of the plan. */
export interface GlueDatabaseSpec {
  address: string;
  name: string;
  description?: string;
  locationUri?: string;
  parameters: Record<string, string>;
}

export interface GlueColumnSpec {
  name: string;
  type: string;
  comment?: string;
}

/** An aws_glue_catalog_table of the plan, in the terms of the Glue API's TableInput. */
export interface GlueTableSpec {
  address: string;
  database: string;
  name: string;
  description?: string;
  owner?: string;
  tableType?: string;
  parameters: Record<string, string>;
  /** StorageDescriptor.Location (`s3://bucket/prefix/`). */
  location: string;
  columns: GlueColumnSpec[];
  partitionKeys: GlueColumnSpec[];
  /** open_table_format_input.iceberg_input: Glue writes the Iceberg metadata itself (metadata_operation CREATE). */
  iceberg?: { version: string };
}

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries((v ?? {}) as Args).map(([k, x]) => [k, String(x)]));
const columns = (v: unknown): GlueColumnSpec[] =>
  ((Array.isArray(v) ? v : v ? [v] : []) as Args[]).map((c) => ({ name: str(c.name)!, type: str(c.type)!, ...(str(c.comment) ? { comment: str(c.comment)! } : {}) }));

/** The plan's Glue databases and tables, references resolved (Terraform AWS provider: glue_catalog_database, glue_catalog_table). */
export function buildGlueCatalog(rs: readonly TerraformResource[], t: AttributeTable): { databases: GlueDatabaseSpec[]; tables: GlueTableSpec[] } {
  const databases = rs
    .filter((r) => r.type === 'aws_glue_catalog_database')
    .map((r): GlueDatabaseSpec => {
      const a = resolvedArgs(r, t);
      return { address: r.address, name: str(a.name)!, description: str(a.description), locationUri: str(a.location_uri), parameters: strings(a.parameters) };
    });
  const tables = rs
    .filter((r) => r.type === 'aws_glue_catalog_table')
    .map((r): GlueTableSpec => {
      const a = resolvedArgs(r, t);
      const sd = firstBlock(a.storage_descriptor);
      const iceberg = firstBlock(firstBlock(a.open_table_format_input).iceberg_input);
      return {
        address: r.address,
        database: str(a.database_name)!,
        name: str(a.name)!,
        description: str(a.description),
        owner: str(a.owner),
        tableType: str(a.table_type),
        parameters: strings(a.parameters),
        location: str(sd.location) ?? '',
        columns: columns(sd.columns),
        partitionKeys: columns(a.partition_keys),
        ...(str(iceberg.metadata_operation) === 'CREATE' ? { iceberg: { version: str(iceberg.version) ?? '2' } } : {}),
      };
    });
  return { databases, tables };
}
