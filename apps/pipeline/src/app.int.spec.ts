import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@lean-ops/config';
import { FUNCTION_KINDS } from '@lean-ops/contracts';
import { synthesize } from './app';

const ENVIRONMENTS = path.resolve(__dirname, '../../../environments');

describe('synthesize', () => {
  let tmp: string;
  let outdir: string;
  let bundleRoot: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lean-ops-synth-'));
    outdir = path.join(tmp, 'cdktf.out');
    // Stand-in bundles: synth only zips them.
    bundleRoot = path.join(tmp, 'dist');
    for (const kind of FUNCTION_KINDS) {
      mkdirSync(path.join(bundleRoot, kind), { recursive: true });
      writeFileSync(path.join(bundleRoot, kind, 'index.js'), `exports.handler = async () => '${kind}';\n`);
    }
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const writeStaleStack = (name: string) => {
    mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), '{}');
    writeFileSync(path.join(outdir, 'manifest.json'), '{}');
  };

  it('refuses a bad file with one line per problem and leaves no stack behind, not even an old one', async () => {
    const envDir = path.join(tmp, 'environments');
    mkdirSync(envDir);
    copyFileSync(path.join(ENVIRONMENTS, 'prod.tfvars'), path.join(envDir, 'prod.tfvars'));
    const dev = readFileSync(path.join(ENVIRONMENTS, 'dev.tfvars'), 'utf8').replace('batching_window_seconds = 2', 'batching_window_seconds = 0');
    writeFileSync(path.join(envDir, 'dev.tfvars'), `${dev}\nunknown_setting = true\n`);
    writeStaleStack('dev');

    const error = await synthesize({ outdir, environmentsDir: envDir, bundleRoot }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/dev\.tfvars: unknown_setting: true: unknown key; allowed keys: region, /),
      expect.stringMatching(/dev\.tfvars: topics\[2\]\.batch_size: 50: batch size > 10 requires batching_window_seconds > 0 \(AWS\)$/),
    ]);
    expect(existsSync(path.join(outdir, 'stacks'))).toBe(false);
    expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(false);
  });

  it('writes one stack per environment file, named by it, with S3 state and the account guard', async () => {
    writeStaleStack('retired');
    const stacks = await synthesize({ outdir, environmentsDir: ENVIRONMENTS, bundleRoot });
    expect(stacks).toEqual(['dev', 'local', 'prod']);
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['dev', 'local', 'prod']);

    const dev = JSON.parse(readFileSync(path.join(outdir, 'stacks/dev/cdk.tf.json'), 'utf8'));
    expect(dev.terraform.backend.s3).toMatchObject({ bucket: 'lean-ops-tfstate-111111111111', key: 'lean-ops/dev.tfstate', use_lockfile: true });
    expect(dev.provider.aws[0].allowed_account_ids).toEqual(['111111111111']);
    expect(dev.data ?? {}).not.toHaveProperty('aws_caller_identity');
    const prod = JSON.parse(readFileSync(path.join(outdir, 'stacks/prod/cdk.tf.json'), 'utf8'));
    expect(prod.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['dev', 'local', 'prod']);
  }, 180_000);

  it('synthesizes the same cdk.tf.json and asset bytes after the bundles are rebuilt unchanged, and new hashes after a change', async () => {
    const stackFile = path.join(outdir, 'stacks/dev/cdk.tf.json');
    const zips = () =>
      readdirSync(path.join(outdir, 'stacks/dev/assets'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.zip'))
        .sort()
        .map((f) => [f, readFileSync(path.join(outdir, 'stacks/dev/assets', f)).toString('base64')]);
    await synthesize({ outdir, environmentsDir: ENVIRONMENTS, bundleRoot, only: ['dev'] });
    const first = { stack: readFileSync(stackFile, 'utf8'), zips: zips() };
    expect(first.zips).toHaveLength(FUNCTION_KINDS.length);

    // A rebuild writes the same bytes with new file times.
    for (const kind of FUNCTION_KINDS) {
      const file = path.join(bundleRoot, kind, 'index.js');
      writeFileSync(file, readFileSync(file));
      utimesSync(file, new Date('2031-06-01'), new Date('2031-06-01'));
    }
    await synthesize({ outdir, environmentsDir: ENVIRONMENTS, bundleRoot, only: ['dev'] });
    expect(readFileSync(stackFile, 'utf8')).toBe(first.stack);
    expect(zips()).toEqual(first.zips);

    writeFileSync(path.join(bundleRoot, 'water-balance', 'index.js'), "exports.handler = async () => 'changed';\n");
    await synthesize({ outdir, environmentsDir: ENVIRONMENTS, bundleRoot, only: ['dev'] });
    const hashes = (text: string) => Object.values(JSON.parse(text).resource.aws_lambda_function).map((f: any) => f.source_code_hash);
    const changed = hashes(readFileSync(stackFile, 'utf8')).filter((h, i) => h !== hashes(first.stack)[i]);
    expect(changed).toHaveLength(1);
  }, 180_000);

  it('names an environment that has no file', async () => {
    const error = await synthesize({ outdir, environmentsDir: ENVIRONMENTS, bundleRoot, only: ['staging'] }).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual(['staging: no environments/staging.tfvars']);
  });
});
