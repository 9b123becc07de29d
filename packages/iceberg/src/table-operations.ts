import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { latestVersion, localPath, publishVersion, tablePaths, versionFile, writeVersionHint } from './file-catalog';
import { localFileIO, type FileIO } from './file-io';
import { parseMetadata, type TableMetadata } from './table-metadata';

/** The table's current metadata as a catalog points at it. */
export interface LoadedTable {
  version: number;
  metadata: TableMetadata;
  /** Location URI of the current metadata file (`file://...` or `s3://...`). */
  metadataLocation: string;
}

/**
 * Where a table's current metadata is kept and how it moves, like Iceberg's `TableOperations`: a file-system table
 * (`version-hint.text`) or a catalog entry (Glue's `metadata_location`). Every commit is optimistic: it names the
 * metadata it was based on and fails when another writer committed first.
 */
export interface TableOperations {
  readonly io: FileIO;
  /** Current metadata, or undefined when the table has none yet. */
  current(): Promise<LoadedTable | undefined>;
  /** The table location a new table's first metadata names. */
  newTableLocation(): Promise<string>;
  /** Location of a new data file (`data/`) or metadata file (`metadata/`) of the table. */
  fileLocation(base: TableMetadata, dir: 'data' | 'metadata', fileName: string): string;
  /**
   * Publishes `next` as the version after `base` (undefined: the table's first metadata). Returns the new metadata
   * location, or undefined when another writer committed first (nothing was published).
   */
  commit(base: LoadedTable | undefined, next: TableMetadata): Promise<string | undefined>;
  /** Human-readable name for errors. */
  readonly name: string;
}

/** Iceberg locations carry no trailing slash (LocationUtil.stripTrailingSlash); Glue's StorageDescriptor does. */
export const stripTrailingSlash = (location: string) => location.replace(/\/+$/, '');

/**
 * A file-system table at `location` (see file-catalog.ts): `metadata/v<N>.metadata.json` published with a hard link,
 * `version-hint.text` pointing at the newest. Files go under the directory given, whatever the metadata says.
 */
export function fileSystemTable(location: string): TableOperations {
  const paths = tablePaths(location);
  return {
    io: localFileIO,
    name: paths.dir,
    async current() {
      const version = await latestVersion(paths);
      if (version === 0) return undefined;
      const file = versionFile(paths, version);
      const metadata = parseMetadata(await fs.readFile(file, 'utf8'), file);
      return { version, metadata, metadataLocation: paths.uri(file) };
    },
    newTableLocation: async () => paths.uri(paths.dir),
    fileLocation: (_base, dir, fileName) => paths.uri(path.join(dir === 'data' ? paths.dataDir : paths.metadataDir, fileName)),
    async commit(base, next) {
      // The first metadata lays the table out: both directories exist from then on.
      await fs.mkdir(paths.metadataDir, { recursive: true });
      if (!base) await fs.mkdir(paths.dataDir, { recursive: true });
      const version = (base?.version ?? 0) + 1;
      if (!(await publishVersion(paths, version, next))) return undefined;
      await writeVersionHint(paths, version);
      return paths.uri(versionFile(paths, version));
    },
  };
}

/** A location string names a file-system table; anything else is a catalog's operations. */
export type TableRef = string | TableOperations;
export const operationsOf = (table: TableRef): TableOperations => (typeof table === 'string' ? fileSystemTable(table) : table);

/** A `file://` location as the path it names; other locations unchanged. */
export const displayPath = (location: string) => (location.startsWith('file:') ? localPath(location) : location);
