import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT as ROOT } from './tools/paths';

const ENVIRONMENTS = path.join(ROOT, 'environments');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

describe('the cdktf app entry (main.ts)', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(tmpdir(), 'lean-ops-main-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints one line per problem to stderr, exits 1 and writes no stack', () => {
    const envDir = path.join(tmp, 'environments');
    const outdir = path.join(tmp, 'cdktf.out');
    mkdirSync(envDir);
    const dev = readFileSync(path.join(ENVIRONMENTS, 'dev.tfvars'), 'utf8');
    writeFileSync(path.join(envDir, 'dev.tfvars'), dev.replace('timeout_seconds = 60', 'timeout_seconds = 60\n  memory = 1024'));
    writeFileSync(path.join(envDir, 'prod.tfvars'), 'region = "eu-west-1"\ntopics = [\n');

    const run = spawnSync(TSX, [path.join(__dirname, 'main.ts')], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, LEAN_OPS_ENVIRONMENTS_DIR: envDir, CDKTF_OUTDIR: outdir, LEAN_OPS_BUNDLE_ROOT: tmp },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'environments/dev.tfvars: lambda.memory: 1024: unknown key; did you mean "memory_mb"?',
      'environments/prod.tfvars:3:1: syntax error: Missing expression; Expected the start of an expression, but found the end of the file.',
    ]);
    expect(existsSync(path.join(outdir, 'stacks'))).toBe(false);
  }, 60_000);
});
