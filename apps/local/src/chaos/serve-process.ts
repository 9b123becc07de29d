import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Report } from '../report/report-types';
import type { ServeInfo } from '../stack/local-stack';
import type { PlanSource } from './chaos-types';
import { REPO_ROOT } from '../stack/repo-root';

const CLI = path.join(REPO_ROOT, 'apps/local/src/cli.ts');

export interface ServeProcess {
  child: ChildProcess;
  info: ServeInfo;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
}

/** `npm run local -- serve` as a child process; resolves with its first stdout line (the stack info). */
export function startServe(dataDir: string, source: PlanSource = {}, timeoutMs = 90_000): Promise<ServeProcess> {
  const plan = [...(source.envFile ? ['--env-file', source.envFile] : []), ...(source.stackFile ? ['--stack', source.stackFile] : [])];
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', CLI, 'serve', '--data-dir', dataDir, '--port', '0', ...plan], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no info line in ${timeoutMs} ms: ${err.slice(-2000)}`));
    }, timeoutMs);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, info: JSON.parse(line) as ServeInfo, stderr: () => err });
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`serve's first line is not JSON: ${line.slice(0, 200)}`));
      }
      // Keep reading so the pipe never fills and blocks the child.
      lines.on('line', () => undefined);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${signal ?? code}) before its info line: ${err.slice(-2000)}`));
    });
  });
}

/** Waits for the process to end (after SIGKILL or SIGTERM). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `POST <endpoint>/_lean-ops/drain`: the report once everything settled. */
export async function drain(endpoint: string, timeoutMs = 240_000): Promise<Report> {
  const res = await fetch(`${endpoint}/_lean-ops/drain`, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`drain answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Report;
}
