export { createTable, appendRows, readTableState, readRows, type CommitResult, type TableState } from './table';
export { validateRow, columnValueProblem, unknownColumn, missingRequiredColumn, isJsonObject } from './schema';
export { benchmarkWriter } from './benchmark';
export { RowSchemaError, TableNotFoundError, UnsupportedTableError, CommitConflictError } from './errors';
export { localFileIO, type FileIO } from './file-io';
export { s3FileIO, parseS3Location } from './s3-file-io';
export { fileSystemTable, stripTrailingSlash, type LoadedTable, type TableOperations, type TableRef } from './table-operations';
export { glueTable, metadataFileName, metadataVersion, GLUE_PARAMETERS, ICEBERG_TABLE_TYPE, type GlueTableOptions } from './glue-table-operations';
export { initialMetadata, type TableMetadata } from './table-metadata';
