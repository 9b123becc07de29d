import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_ENV, startS3rver, type Running } from '@lean-ops/handlers/test/local-servers';
import { REPO_ROOT as ROOT } from './paths';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const BUCKET = 'lean-ops-tfstate-111111111111'; // environments/dev.tfvars backend.bucket

describe('npm run bootstrap against the local S3 (s3rver)', () => {
  let s3rver: Running;
  let s3: S3Client;
  beforeAll(async () => {
    s3rver = await startS3rver();
    s3 = new S3Client({ region: 'eu-west-1', endpoint: s3rver.url, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  });
  afterAll(async () => {
    s3.destroy();
    await s3rver.close();
  });

  // Asynchronous: s3rver runs in this process and must keep answering while the tool runs.
  const bootstrap = (...args: string[]) =>
    new Promise<{ status: number; lines: string[]; stderr: string }>((resolve) => {
      const env = { ...process.env, ...S3RVER_ENV, AWS_PROFILE: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
      execFile(TSX, [path.join(__dirname, 'bootstrap.ts'), '--env', 'dev', '--endpoint', s3rver.url, ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code ?? 1) : 0, lines: stdout.trim().split('\n'), stderr });
      });
    });
  const bucketNames = async () => ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

  it('dry run: prints every step it would take and creates nothing', async () => {
    const run = await bootstrap('--dry-run');
    expect(run.status).toBe(0);
    expect(run.lines[0]).toBe(`dry run: state bucket ${BUCKET} (eu-west-1) for dev at ${s3rver.url}`);
    expect(run.lines).toContain(`[1/6] bucket ${BUCKET} in eu-west-1: would do`);
    expect(run.lines.filter((l) => / would do \(the bucket does not exist yet\)$/.test(l))).toHaveLength(5);
    expect(await bucketNames()).not.toContain(BUCKET);
  }, 60_000);

  it('creates the bucket, reports what the endpoint cannot store, and says "already done" on the second run', async () => {
    const first = await bootstrap();
    expect(first.stderr).not.toMatch(/^Error:/m);
    expect(first.status).toBe(0);
    expect(first.lines).toContain(`[1/6] bucket ${BUCKET} in eu-west-1: done`);
    await expect(s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    // s3rver answers 501 (405 for the policy) to versioning, encryption, public access block, policy and lifecycle:
    // reported, not faked.
    const unsupported = first.lines.filter((l) => /: not supported by the endpoint \((501 NotImplemented|405 MethodNotAllowed); this step is verified only against AWS\)$/.test(l));
    expect(unsupported.map((l) => l.replace(/: not supported.*/, ''))).toEqual([
      '[2/6] versioning enabled (every state version kept)',
      '[3/6] default encryption SSE-KMS (aws/s3 key, S3 Bucket Key)',
      '[4/6] public access blocked (all four settings)',
      '[5/6] bucket policy denies requests without TLS',
      '[6/6] noncurrent state versions expire',
    ]);
    expect(first.lines[first.lines.length - 1]).toBe(`${BUCKET}: 1 changed, 0 already done, 5 not supported by ${s3rver.url}`);

    const second = await bootstrap();
    expect(second.status).toBe(0);
    expect(second.lines).toContain(`[1/6] bucket ${BUCKET} in eu-west-1: already done`);
    expect(second.lines[second.lines.length - 1]).toBe(`${BUCKET}: 0 changed, 1 already done, 5 not supported by ${s3rver.url}`);
    expect((await bucketNames()).filter((n) => n === BUCKET)).toHaveLength(1);
  }, 60_000);

  it('refuses an unknown environment and a missing --env', () => {
    const none = spawnSync(TSX, [path.join(__dirname, 'bootstrap.ts')], { cwd: ROOT, encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run bootstrap -- --env <env>');
    const unknown = spawnSync(TSX, [path.join(__dirname, 'bootstrap.ts'), '--env', 'staging', '--endpoint', s3rver.url], { cwd: ROOT, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/staging\.tfvars: cannot read file: ENOENT/);
  }, 60_000);
});
