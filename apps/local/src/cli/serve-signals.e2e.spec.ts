import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ServeInfo } from '../stack/local-stack';
import { REPO_ROOT } from '../stack/repo-root';
import assert from 'node:assert/strict';

interface NpmServe {
  npm: ChildProcess;
  exit: Promise<number | null>;
  stderr(): string;
}

/** `npm run --silent local -- serve ...` exactly as a user starts it. */
function npmServe(args: string[]): NpmServe {
  const npm = spawn('npm', ['run', '--silent', 'local', '--', 'serve', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  npm.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  return { npm, exit, stderr: () => err };
}

function firstLine(s: NpmServe): Promise<ServeInfo> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: s.npm.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as ServeInfo));
    void s.exit.then((code) => reject(new Error(`serve exited ${code} before its info line: ${s.stderr()}`)));
  });
}

/** The process npm started for the script (Linux /proc): with `exec`, that is node itself. */
function scriptProcess(npmPid: number): number {
  const children = fs.readFileSync(`/proc/${npmPid}/task/${npmPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const [only, ...others] = children;
  assert(only !== undefined && others.length === 0, `expected one child of npm, got ${children.join(' ')}`);
  return only;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(true));
  });

let dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-signals-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('npm run local -- serve', () => {
  it('stops cleanly on SIGTERM to the process npm started: flushed, port freed, exit 0', async () => {
    const dataDir = tempDir();
    const s = npmServe(['--port', '0', '--data-dir', dataDir]);
    const info = await firstLine(s);
    const node = scriptProcess(s.npm.pid!);
    expect(fs.readFileSync(`/proc/${node}/cmdline`, 'utf8')).toContain('apps/local/src/cli.ts');
    const sqs = new SQSClient({ region: info.region, endpoint: info.endpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: info.queues.orders, MessageBody: '{"event_id":"e1"}' }));
    sqs.destroy();

    process.kill(node, 'SIGTERM');
    expect(await s.exit).toBe(0);
    expect(alive(node)).toBe(false);
    expect(await refused(Number(new URL(info.endpoint).port))).toBe(true);
    expect(s.stderr()).toContain('SIGTERM: flushing and stopping');
    expect(fs.readFileSync(path.join(dataDir, 'local-stack.log'), 'utf8')).toMatch(/local stack stopped\n$/);
  });

  it('refuses a busy port in one line and exits non-zero; SIGINT stops the first one with exit 0', async () => {
    const first = npmServe(['--port', '0', '--data-dir', tempDir()]);
    const info = await firstLine(first);
    const port = new URL(info.endpoint).port;

    const second = npmServe(['--port', port, '--data-dir', tempDir()]);
    expect(await second.exit).not.toBe(0);
    expect(second.stderr().trim().split('\n')).toEqual([`local: port ${port} is already in use (another serve?): stop it or choose another with --port`]);

    process.kill(scriptProcess(first.npm.pid!), 'SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.stderr()).toContain('SIGINT: flushing and stopping');
  });
});
