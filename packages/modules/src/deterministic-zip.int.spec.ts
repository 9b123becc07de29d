import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipDirectory, zipEntries } from './deterministic-zip';

describe('deterministic zip', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lean-ops-zip-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => "ok";\n'.repeat(50));
    writeFileSync(join(dir, 'index.js.map'), '{"version":3}');
    writeFileSync(join(dir, 'lib', 'x.js'), 'module.exports = 1;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same bytes for the same contents, whatever the file times and permissions', () => {
    const first = zipDirectory(dir);
    utimesSync(join(dir, 'index.js'), new Date('2030-05-05'), new Date('2030-05-05'));
    chmodSync(join(dir, 'lib', 'x.js'), 0o755);
    writeFileSync(join(dir, 'index.js.map'), '{"version":3}');
    expect(zipDirectory(dir).equals(first)).toBe(true);
    writeFileSync(join(dir, 'lib', 'x.js'), 'module.exports = 2;\n');
    expect(zipDirectory(dir).equals(first)).toBe(false);
  });

  it('orders entries by name whatever order they come in', () => {
    const a = { name: 'a.js', data: Buffer.from('a') };
    const b = { name: 'b/c.js', data: Buffer.from('c') };
    expect(zipEntries([b, a]).equals(zipEntries([a, b]))).toBe(true);
  });

  it('is a valid archive: unzip tests it and lists sorted entries dated 1980-01-01 with mode 0644', () => {
    const file = join(dir, '..', `${dir.split('/').pop()}.zip`);
    writeFileSync(file, zipDirectory(dir));
    try {
      const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(test.error).toBeUndefined();
      expect(test.stdout).toContain('No errors detected');
      const list = spawnSync('zipinfo', ['-T', file], { encoding: 'utf8' }).stdout.trim().split('\n');
      const entries = list.filter((l) => /^-rw/.test(l));
      expect(entries.map((l) => l.split(/\s+/).pop())).toEqual(['index.js', 'index.js.map', 'lib/x.js']);
      for (const l of entries) {
        expect(l).toMatch(/^-rw-r--r--/);
        expect(l).toContain('19800101.000000');
      }
      const extracted = spawnSync('unzip', ['-p', file, 'lib/x.js'], { encoding: 'utf8' }).stdout;
      expect(extracted).toBe('module.exports = 1;\n');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
