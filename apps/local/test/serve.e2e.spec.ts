import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { SQSClient } from '@aws-sdk/client-sqs';
import { generateMessages, inject } from '@lean-ops/injector';
import { REPO_ROOT } from '../src/cli/ensure-bundles';
import type { Report } from '../src/report/report-types';
import type { ServeInfo } from '../src/stack/local-stack';
import { removeDir, scenario } from './e2e-support';

describe('serve as a child process', () => {
  let child: ChildProcess;
  let info: ServeInfo;
  const stdoutLines: string[] = [];
  let stderr = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', path.join(REPO_ROOT, 'apps/local/src/cli.ts'), 'serve', '--port', '0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const lines = readline.createInterface({ input: child.stdout! });
    const first = new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error(`serve exited before its first line:\n${stderr}`)));
    });
    lines.on('line', (l) => stdoutLines.push(l));
    info = JSON.parse(await first) as ServeInfo;
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });

  it('prints one JSON object describing the stack as its first line', () => {
    expect(Object.keys(info).sort()).toEqual(['buckets', 'credentials', 'dlq', 'endpoint', 'endpoints', 'queues', 'region', 'tables', 'warehouse', 'warehousePath'].sort());
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(info.queues).sort()).toEqual(['clickstream', 'orders', 'payments']);
    for (const url of [...Object.values(info.queues), info.dlq]) expect(url.startsWith(`${info.endpoint}/`)).toBe(true);
    expect(info.buckets).toEqual({ warehouse: expect.any(String), archive: expect.any(String), artifacts: expect.any(String) });
    expect(info.tables).toEqual({ checkpoints: 'lean-ops-local-checkpoints', locks: 'lean-ops-local-locks', errors: 'lean-ops-local-errors' });
    expect(info.warehouse).toBe(`s3://${info.buckets.warehouse}/warehouse/lean_ops_local_lake/raw_events/`);
    expect(path.isAbsolute(info.warehousePath)).toBe(true);
    expect(info.endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.credentials).toEqual({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  });

  it('accounts messages injected from outside, drains and answers with the report', async () => {
    const s = await scenario('thundering_herd.json', { total: 400 });
    const messages = generateMessages(
      s,
      Object.keys(info.queues).map((name) => ({ name, expectedFields: [] })),
    );
    const client = new SQSClient({ region: info.region, endpoint: info.endpoint, credentials: info.credentials });
    const injection = await inject({ scenario: s, queueUrls: info.queues, client, messages });
    client.destroy();
    expect(injection.sent).toBe(400);

    const bad = await fetch(`${info.endpoint}/_lean-ops/faults`, { method: 'POST', body: JSON.stringify({ s3: 'sideways' }) });
    expect(bad.status).toBe(400);

    const res = await fetch(`${info.endpoint}/_lean-ops/drain`, { method: 'POST' });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.balance).toMatchObject({ sent: 400, sentDistinct: 400, lost: 0, inFlight: 0, holds: true });
    expect(report.balance.rawDistinct + report.balance.quarantined + report.balance.dlqArchived + report.balance.errorOutput).toBe(400);
    expect(report.balance.quarantined).toBe(messages.filter((m) => m.kind === 'malformed_json').length);
    expect(report.balance.dlqArchived).toBe(messages.filter((m) => m.kind === 'processing_error').length);
    expect(report.warehouse).toBe(info.warehouse);
  });

  it('stops cleanly on SIGTERM, with nothing but the first line on stdout', async () => {
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stdoutLines).toHaveLength(1);
    await removeDir(path.dirname(path.dirname(path.dirname(info.warehousePath))));
  });
});
