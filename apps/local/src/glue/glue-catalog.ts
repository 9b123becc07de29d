import type { CatalogStore } from './catalog-store';
import type { CatalogState, GlueDatabase, GlueTable, GlueTableInput } from './glue-types';

/** A Glue API error: its `__type` and message (Glue API reference, each operation's "Errors"). */
export class GlueError extends Error {
  constructor(
    readonly type: 'EntityNotFoundException' | 'ConcurrentModificationException' | 'InvalidInputException' | 'AlreadyExistsException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const tableKey = (database: string, name: string) => `${database}/${name}`;
/** Glue keeps database and table names in lower case (Glue Developer Guide, "Defining tables": names are lower-cased). */
const lower = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new GlueError('InvalidInputException', `${what} is required`);
  return v.toLowerCase();
};

/**
 * The Data Catalog of one account: databases and tables, each change persisted before it is answered. Tables
 * carry a VersionId that every UpdateTable increments; an UpdateTable naming another VersionId than the current
 * one fails with ConcurrentModificationException, the optimistic lock Iceberg's GlueCatalog commits with.
 */
export class GlueCatalog {
  private readonly state: CatalogState;

  constructor(
    private readonly store: CatalogStore,
    readonly catalogId: string,
  ) {
    this.state = store.load();
  }

  getDatabase(name: unknown): GlueDatabase {
    const db = this.state.databases[lower(name, 'Name')];
    if (!db) throw new GlueError('EntityNotFoundException', `Database ${String(name)} not found.`);
    return db;
  }

  getDatabases(): GlueDatabase[] {
    return Object.values(this.state.databases).sort((a, b) => a.Name.localeCompare(b.Name));
  }

  getTable(database: unknown, name: unknown): GlueTable {
    const db = this.getDatabase(database);
    const table = this.state.tables[tableKey(db.Name, lower(name, 'Name'))];
    if (!table) throw new GlueError('EntityNotFoundException', `Table ${String(name)} not found.`);
    return table;
  }

  /** Tables of a database whose names match `expression` (a regular expression, Glue API reference GetTables). */
  getTables(database: unknown, expression?: string): GlueTable[] {
    const db = this.getDatabase(database);
    let pattern: RegExp | undefined;
    try {
      pattern = expression ? new RegExp(`^(?:${expression})$`) : undefined;
    } catch {
      throw new GlueError('InvalidInputException', `Expression ${expression} is not a valid regular expression.`);
    }
    return Object.values(this.state.tables)
      .filter((t) => t.DatabaseName === db.Name && (!pattern || pattern.test(t.Name)))
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /**
   * Replaces the table's definition with `input` (UpdateTable takes a whole TableInput). With `versionId`, the
   * update applies only if the table is still at that version (Glue API reference, UpdateTable: VersionId).
   */
  updateTable(database: unknown, input: GlueTableInput | undefined, versionId?: string): GlueTable {
    if (!input) throw new GlueError('InvalidInputException', 'TableInput is required');
    const current = this.getTable(database, input.Name);
    if (versionId !== undefined && versionId !== current.VersionId) {
      throw new GlueError('ConcurrentModificationException', `Update table failed due to concurrent modifications: version ${versionId} is not the table's current version ${current.VersionId}.`);
    }
    const next: GlueTable = {
      ...current,
      Description: input.Description,
      Owner: input.Owner,
      Retention: input.Retention ?? 0,
      StorageDescriptor: input.StorageDescriptor,
      PartitionKeys: input.PartitionKeys ?? [],
      TableType: input.TableType,
      Parameters: input.Parameters ?? {},
      UpdateTime: nowSeconds(),
      VersionId: String(Number(current.VersionId) + 1),
    };
    this.state.tables[tableKey(current.DatabaseName, current.Name)] = next;
    this.store.save(this.state);
    return next;
  }

  /** Creates a database unless one of that name exists (startup from the plan). */
  ensureDatabase(db: Omit<GlueDatabase, 'CreateTime' | 'CatalogId' | 'CreateTableDefaultPermissions'>): void {
    const name = lower(db.Name, 'Name');
    if (this.state.databases[name]) return;
    this.state.databases[name] = {
      ...db,
      Name: name,
      CreateTime: nowSeconds(),
      // What a new database gets by default (Lake Formation Developer Guide, "Changing the default settings").
      CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] }],
      CatalogId: this.catalogId,
    };
    this.store.save(this.state);
  }

  hasTable(database: string, name: string): boolean {
    return tableKey(database.toLowerCase(), name.toLowerCase()) in this.state.tables;
  }

  /** Creates a table at version 0 (startup from the plan); the database must exist. */
  createTable(database: string, input: GlueTableInput & { Name: string }, createdBy: string): GlueTable {
    const db = this.getDatabase(database);
    const name = lower(input.Name, 'Name');
    if (this.state.tables[tableKey(db.Name, name)]) throw new GlueError('AlreadyExistsException', `Table ${name} already exists.`);
    const now = nowSeconds();
    const table: GlueTable = {
      Retention: 0,
      PartitionKeys: [],
      Parameters: {},
      ...input,
      Name: name,
      DatabaseName: db.Name,
      CreateTime: now,
      UpdateTime: now,
      CreatedBy: createdBy,
      IsRegisteredWithLakeFormation: false,
      CatalogId: this.catalogId,
      VersionId: '0',
    };
    this.state.tables[tableKey(db.Name, name)] = table;
    this.store.save(this.state);
    return table;
  }
}
