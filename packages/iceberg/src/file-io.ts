import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { localPath, writeNewFile } from './file-catalog';

/**
 * Reads and writes the files of a table by location URI, like Iceberg's `FileIO`: the writer and the readers never
 * see where the files live (`file://` on a disk, `s3://` in a bucket).
 */
export interface FileIO {
  read(location: string): Promise<Uint8Array>;
  /** Writes a new file (data files, manifests, manifest lists and metadata files are never rewritten). */
  write(location: string, bytes: Uint8Array | string): Promise<void>;
  /** Removes a file this writer wrote but did not commit; a missing file is not an error. */
  delete(location: string): Promise<void>;
}

/** `file://` locations (or absolute paths): files written exclusively and fsynced, directories made as needed. */
export const localFileIO: FileIO = {
  read: async (location) => fs.readFile(localPath(location)),
  async write(location, bytes) {
    const file = localPath(location);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeNewFile(file, bytes);
  },
  delete: (location) => fs.rm(localPath(location), { force: true }),
};
