import { randomUUID } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UnsupportedTableError } from './errors';
import type { TableMetadata } from './table-metadata';

/**
 * A file-system table ("File System Tables" in the spec, as Spark's HadoopCatalog lays it out):
 * `metadata/v<N>.metadata.json` per version and `metadata/version-hint.text` holding N.
 *
 * Locations inside metadata are `file://` + the absolute path, not percent-encoded: Hadoop's `Path` (Spark,
 * Athena-style Java readers) and pyiceberg take the path part literally, so an encoded `%20` would name
 * another file.
 */
export interface TablePaths {
  dir: string;
  metadataDir: string;
  dataDir: string;
  uri: (absolutePath: string) => string;
}

const VERSION_FILE = /^v(\d+)\.metadata\.json$/;
export const VERSION_HINT = 'version-hint.text';

export function tablePaths(location: string): TablePaths {
  let dir = location.startsWith('file:') ? location.replace(/^file:(\/\/)?/, '') : location;
  if (!dir.startsWith('/')) dir = path.resolve(dir);
  dir = path.resolve(dir);
  // `#` and `?` would start a fragment or query when the URI is parsed.
  if (/[#?\n\r]/.test(dir)) throw new UnsupportedTableError(`table location must not contain '#', '?' or line breaks: ${dir}`);
  return {
    dir,
    metadataDir: path.join(dir, 'metadata'),
    dataDir: path.join(dir, 'data'),
    uri: (absolutePath: string) => `file://${absolutePath}`,
  };
}

/** A `file://` (or `file:`) URI or absolute path from metadata -> local path. */
export function localPath(uri: string): string {
  if (uri.startsWith('file:')) return uri.replace(/^file:(\/\/)?/, '');
  if (uri.startsWith('/')) return uri;
  throw new UnsupportedTableError(`not a local file location: ${uri}`);
}

export const versionFile = (paths: TablePaths, version: number) => path.join(paths.metadataDir, `v${version}.metadata.json`);

/** Highest `v<N>.metadata.json` present (the hint file is only a hint), or 0 when there is none. */
export async function latestVersion(paths: TablePaths): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(paths.metadataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let max = 0;
  for (const name of names) {
    const m = VERSION_FILE.exec(name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** Writes a new file that must not exist yet, durably (data, manifests and lists are immutable). */
export async function writeNewFile(file: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Publishes `v<version>.metadata.json` if no other writer has: the complete file is written under a temporary
 * name, then hard-linked to its final name (link fails if the name exists), so a reader never sees a partial
 * version and two writers can never both win. Returns false when the version already exists (lost race).
 */
export async function publishVersion(paths: TablePaths, version: number, metadata: TableMetadata): Promise<boolean> {
  const target = versionFile(paths, version);
  const temp = path.join(paths.metadataDir, `.v${version}-${randomUUID()}.metadata.json.tmp`);
  await writeNewFile(temp, JSON.stringify(metadata, null, 2));
  try {
    await fs.link(temp, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    // File systems without hard links: an exclusive copy still lets only one writer win.
    try {
      await fs.copyFile(temp, target, fsConstants.COPYFILE_EXCL);
      return true;
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw copyError;
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Points `version-hint.text` at the newest version present (temp file + rename, so it is never torn). Writers
 * finishing out of order re-read the directory, so the hint converges on the latest version.
 */
export async function writeVersionHint(paths: TablePaths, committed: number): Promise<void> {
  const latest = Math.max(committed, await latestVersion(paths));
  const temp = path.join(paths.metadataDir, `.version-hint-${randomUUID()}.tmp`);
  await writeNewFile(temp, String(latest));
  await fs.rename(temp, path.join(paths.metadataDir, VERSION_HINT));
}
