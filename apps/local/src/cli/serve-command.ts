import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@lean-ops/config';
import type { AwsResponse } from '../aws-service';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { parseFaultRequest, type FaultRequest } from './fault-request';
import { DEFAULT_ENV_FILE } from '../stack/repo-root';
import { ensureBundles } from './ensure-bundles';

export const DRAIN_PATH = '/_lean-ops/drain';
export const FAULTS_PATH = '/_lean-ops/faults';

export interface ServeIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const json = (status: number, body: unknown): AwsResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function applyFaults(stack: LocalStack, f: FaultRequest): Promise<void> {
  if (f.firehose) stack.faults.setFirehose(f.firehose);
  if (f.s3) await stack.faults.setS3Down(f.s3 === 'down');
  if (f.dynamodb) await stack.faults.setDynamoDown(f.dynamodb === 'down');
}

/** The listen error of a port another process holds (`EADDRINUSE`), wherever in the start-up it surfaced. */
export function isPortInUse(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EADDRINUSE';
}

/** Resolves with the first of SIGTERM / SIGINT; both are caught from the start so a signal during start-up stops cleanly too. */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => () => {
      process.removeListener('SIGTERM', term);
      process.removeListener('SIGINT', int);
      resolve(signal);
    };
    const term = on('SIGTERM');
    const int = on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
}

/**
 * `serve`: the stack keeps running for other terminals. stdout carries exactly one line (the stack's JSON
 * description) so a parent process can read it; every log goes to `<data-dir>/local-stack.log`. SIGTERM or
 * SIGINT stops it cleanly (journals flushed, exit 0); a port already in use is one line on stderr and exit 1.
 */
export async function serveCommand(cmd: { port?: number; dataDir?: string; envFile?: string; stackFile?: string }, io: ServeIo): Promise<{ stack: LocalStack; stopped: Promise<number> } | number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const signal = firstSignal();
  ensureBundles(say);
  const dataDir = path.resolve(cmd.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'local-stack.log');
  const logs = fs.createWriteStream(logFile, { flags: 'a' });
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ envFile: cmd.envFile ?? DEFAULT_ENV_FILE, stackFile: cmd.stackFile, dataDir, port: cmd.port ?? 0, log: (line) => logs.write(`${line}\n`) });
  } catch (err) {
    await new Promise((r) => logs.end(r));
    if (err instanceof ConfigError) {
      say(err.message);
      return 2;
    }
    if (isPortInUse(err)) {
      say(`local: port ${cmd.port} is already in use (another serve?): stop it or choose another with --port`);
      return 1;
    }
    throw err;
  }
  addServeRoutes(stack);

  io.stdout.write(`${JSON.stringify(stack.info)}\n`);
  say(`local stack at ${stack.endpoint}, data dir ${dataDir}, logs ${logFile}; POST ${stack.endpoint}${DRAIN_PATH} to drain, SIGTERM to stop`);

  const stopped = signal.then(async (name) => {
    say(`${name}: flushing and stopping`);
    try {
      await stack.stop();
      await new Promise((r) => logs.end(r));
      return 0;
    } catch (err) {
      say(`stop failed: ${String(err)}`);
      return 1;
    }
  });
  return { stack, stopped };
}

function addServeRoutes(stack: LocalStack): void {
  stack.addRoute({
    method: 'POST',
    path: DRAIN_PATH,
    handle: async () => {
      try {
        await stack.waitForSettled();
        return json(200, await stack.report());
      } catch (err) {
        return json(500, { error: String(err) });
      }
    },
  });
  stack.addRoute({
    method: 'POST',
    path: FAULTS_PATH,
    handle: async (req) => {
      const parsed = parseFaultRequest(req.body.toString('utf8'));
      if (!parsed.ok) return json(400, { error: parsed.error });
      await applyFaults(stack, parsed.value);
      return json(200, { applied: parsed.value, activity: await stack.activity() });
    },
  });
}
