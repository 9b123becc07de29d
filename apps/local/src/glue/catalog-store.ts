import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CatalogState } from './glue-types';

/**
 * The catalog's state as one JSON file under the data dir (`<dataDir>/glue/catalog.json`), so a restarted stack
 * finds its tables where it left them. Each change replaces the file whole (temp file, fsync, rename): a crash
 * leaves the old state or the new one, never a torn file.
 */
export class CatalogStore {
  private readonly file: string;

  constructor(dataDir: string) {
    const dir = path.join(dataDir, 'glue');
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'catalog.json');
  }

  load(): CatalogState {
    if (!fs.existsSync(this.file)) return { databases: {}, tables: {} };
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as CatalogState;
  }

  save(state: CatalogState): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(state, null, 1));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
  }
}
