/** A row does not fit the RAW table schema (unknown or missing column, wrong type). Nothing was written. */
export class RowSchemaError extends Error {
  override readonly name = 'RowSchemaError';
  constructor(
    /** Index of the first offending row in the batch. */
    readonly rowIndex: number,
    /** Why the row does not fit, as returned by `validateRow`. */
    readonly reason: string,
  ) {
    super(`row ${rowIndex}: ${reason}`);
  }
}

/** No table metadata under the location (call `createTable` first). */
export class TableNotFoundError extends Error {
  override readonly name = 'TableNotFoundError';
  constructor(readonly location: string) {
    super(`no Iceberg table metadata under ${location}/metadata`);
  }
}

/** The table on disk is something this writer must not touch (other format version, unsafe ids, broken metadata). */
export class UnsupportedTableError extends Error {
  override readonly name = 'UnsupportedTableError';
}

/** Every commit attempt lost the race for the next metadata version. */
export class CommitConflictError extends Error {
  override readonly name = 'CommitConflictError';
  constructor(readonly attempts: number) {
    super(`commit failed: another writer created the next metadata version ${attempts} times in a row`);
  }
}
