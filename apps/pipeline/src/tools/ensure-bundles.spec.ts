import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FUNCTION_KINDS } from '@lean-ops/contracts';
import { SOURCE_HASH_FILE, bundleSourcesHash, bundlesStale, ensureBundles } from './ensure-bundles';

describe('ensureBundles', () => {
  let root: string;
  let dist: string;
  let builds: number;
  const build = () => {
    builds += 1;
    for (const k of FUNCTION_KINDS) {
      fs.mkdirSync(path.join(dist, k), { recursive: true });
      fs.writeFileSync(path.join(dist, k, 'index.js'), `// ${k}\n`);
    }
  };
  const ensure = () => ensureBundles({ repoRoot: root, bundleRoot: dist, log: () => undefined, build });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(tmpdir(), 'lean-ops-ensure-'));
    dist = path.join(root, 'packages/handlers/dist');
    builds = 0;
    write('packages/handlers/src/sqs-processor/index.ts', 'export const handler = 1;\n');
    write('packages/handlers/src/sqs-processor/index.spec.ts', 'test\n');
    write('packages/contracts/src/names.ts', 'export const a = 1;\n');
    write('package-lock.json', '{}\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds missing bundles (a fresh clone), then not again while the sources are unchanged', () => {
    expect(bundlesStale(dist, bundleSourcesHash(root))).toMatch(/^missing: sqs-processor, /);
    expect(ensure()).toBe(true);
    expect(fs.readFileSync(path.join(dist, SOURCE_HASH_FILE), 'utf8').trim()).toBe(bundleSourcesHash(root));
    expect(ensure()).toBe(false);
    expect(builds).toBe(1);
  });

  it('rebuilds when a source changes, but not when a file is only touched or a spec changes', () => {
    ensure();
    const file = path.join(root, 'packages/contracts/src/names.ts');
    fs.utimesSync(file, new Date('2031-01-01'), new Date('2031-01-01'));
    write('packages/handlers/src/sqs-processor/index.spec.ts', 'changed test\n');
    expect(ensure()).toBe(false);
    write('packages/contracts/src/names.ts', 'export const a = 2;\n');
    expect(bundlesStale(dist, bundleSourcesHash(root))).toBe('sources changed since the last build');
    expect(ensure()).toBe(true);
    write('package-lock.json', '{"lockfileVersion":3}\n');
    expect(ensure()).toBe(true);
    expect(builds).toBe(3);
  });

  it('rebuilds bundles of unknown origin (built by hand, no stamp)', () => {
    build();
    expect(bundlesStale(dist, bundleSourcesHash(root))).toBe('built from unknown sources');
    expect(ensure()).toBe(true);
  });

  it('fails when the build writes no bundle', () => {
    expect(() => ensureBundles({ repoRoot: root, bundleRoot: dist, log: () => undefined, build: () => undefined })).toThrow(/wrote no bundle for sqs-processor/);
  });
});
