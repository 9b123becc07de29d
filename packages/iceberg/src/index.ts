export { createTable, appendRows, readTableState, readRows, type CommitResult, type TableState } from './table';
export { validateRow, columnValueProblem, unknownColumn, missingRequiredColumn, isJsonObject } from './schema';
export { benchmarkWriter } from './benchmark';
export { RowSchemaError, TableNotFoundError, UnsupportedTableError, CommitConflictError } from './errors';
