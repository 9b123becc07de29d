import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { metadataVersion } from '@lean-ops/iceberg';

/** s3rver keeps an object as `<dir>/<bucket>/<key>._S3rver_object` beside its metadata (s3rver 3, stores/filesystem.js). */
const OBJECT_SUFFIX = '._S3rver_object';

export interface WarehouseMirrorOptions {
  /** s3rver's directory (its buckets are folders in it). */
  s3Dir: string;
  bucket: string;
  /** The table's key prefix, e.g. `warehouse/<database>/<table>/`. */
  prefix: string;
  /** The mirror: `<dataDir>/warehouse/<database>/<table>`. */
  dir: string;
  /** The table's current metadata location (Glue's `metadata_location`). */
  currentMetadata: () => string | undefined;
}

/**
 * A read-only view on disk of the table the catalog keeps in S3, for tools that read a directory (DuckDB's
 * iceberg_scan, icebird): every object under the table's prefix linked by its key, plus `metadata/v<N>.metadata.json`
 * and `version-hint.text` naming the current metadata, as a file-system table lays them out. Locations inside the
 * metadata stay `s3://`: a reader maps the table location to this directory (DuckDB: `allow_moved_paths`).
 * Objects are hard links to s3rver's files (no copy; the table's files are never rewritten).
 */
export class WarehouseMirror {
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly o: WarehouseMirrorOptions) {}

  /** Brings the mirror up to date; calls while one runs are folded into one more pass. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const source = path.join(this.o.s3Dir, this.o.bucket, this.o.prefix);
    for (const file of await listFiles(source)) {
      if (!file.endsWith(OBJECT_SUFFIX)) continue;
      await linkOnce(file, path.join(this.o.dir, path.relative(source, file).slice(0, -OBJECT_SUFFIX.length)));
    }
    const current = this.o.currentMetadata();
    const version = current ? metadataVersion(current) : -1;
    if (!current || version < 0) return;
    const metadataDir = path.join(this.o.dir, 'metadata');
    await linkOnce(path.join(metadataDir, path.basename(current)), path.join(metadataDir, `v${version}.metadata.json`));
    const temp = path.join(metadataDir, `.version-hint-${process.pid}.tmp`);
    await fs.writeFile(temp, String(version));
    await fs.rename(temp, path.join(metadataDir, 'version-hint.text'));
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Links `target` to `source` unless it exists; a file system without hard links gets a copy. */
async function linkOnce(source: string, target: string): Promise<void> {
  try {
    await fs.access(target);
    return;
  } catch {
    // not mirrored yet
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    await fs.link(source, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOENT') return; // mirrored meanwhile, or deleted (an uncommitted metadata file)
    await fs.copyFile(source, target);
  }
}
