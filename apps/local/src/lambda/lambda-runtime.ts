import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { names } from '@lean-ops/contracts';
import { LOCAL_ACCOUNT_ID } from '../sqs/queue-attributes';
import { nodeBinaryFor } from './node-runtimes';

export interface FunctionDefinition {
  name: string;
  /** Absolute path of a CommonJS bundle exporting the handler (e.g. packages/handlers/dist/sqs-processor/index.js). */
  handlerFile: string;
  /** Export name; default `handler`. */
  handlerExport?: string;
  /** Function environment variables (the caller includes AWS_ENDPOINT_URL and credentials). */
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb?: number;
  /** Execution environments (worker processes) at most; invocations beyond it wait for one. Default 10. */
  concurrency?: number;
  /** Lambda runtime identifier (`nodejs22.x`): the Node.js major the workers run on. Default: this process's. */
  runtime?: string;
}

export type InvocationErrorType = 'Unhandled' | 'TimedOut' | 'Crashed' | 'InitError';

export type InvocationResult =
  | { ok: true; payload: unknown; requestId: string; durationMs: number }
  | { ok: false; kind: InvocationErrorType; errorType: string; errorMessage: string; trace?: string[]; requestId: string; durationMs: number };

export interface FunctionStats {
  invocations: number;
  /** Invocations that ended in an error of any kind (handler error, timeout, crash, init failure). */
  errors: number;
  timeouts: number;
  crashes: number;
  running: number;
  coldStarts: number;
  workers: number;
  /** Milliseconds the last cold start took to load the bundle (the handler's init phase). */
  lastInitMs?: number;
}

export interface LambdaRuntimeOptions {
  region: string;
  /** Every stdout/stderr line of every function (the CloudWatch stand-in reads EMF metrics from them). */
  onLog?: (functionName: string, line: string) => void;
  /**
   * Node flags for the workers; default: this process's flags (e.g. --openssl-legacy-provider) without
   * debugger flags, and without module loaders for built `.js` bundles.
   */
  execArgv?: string[];
}

export interface InvokeOptions {
  /** The `lambda_crash_once` fault: the environment dies as this invocation starts, before the handler runs. */
  crash?: boolean;
  /** The `lambda_timeout_once` fault: the environment hangs (is frozen) until the runtime times the invocation out. */
  hang?: boolean;
  /** The `lambda_crash` fault: the environment dies when the handler parses one of these record bodies. */
  crashOnParse?: string[];
}

interface Pending {
  id: string;
  resolve(r: InvocationResult): void;
  started: number;
  requestId: string;
  timer?: NodeJS.Timeout;
}

class Worker {
  readonly ready: Promise<{ initMs: number; error?: { errorType: string; errorMessage: string } }>;
  current?: Pending;
  alive = true;
  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once('message', (m: { type: string; initMs: number; error?: { errorType: string; errorMessage: string } }) =>
        m?.type === 'ready' ? resolve(m) : reject(new Error('unexpected first message from worker')),
      );
      child.once('exit', () => reject(new Error('worker exited during init')));
    });
    this.ready.catch(() => undefined);
  }
}

class FunctionPool {
  readonly idle: Worker[] = [];
  readonly all = new Set<Worker>();
  readonly waiting: Array<(w: Worker) => void> = [];
  readonly stats: FunctionStats = { invocations: 0, errors: 0, timeouts: 0, crashes: 0, running: 0, coldStarts: 0, workers: 0 };
  constructor(readonly def: FunctionDefinition) {}
  get limit() {
    return Math.max(1, this.def.concurrency ?? 10);
  }
}

const WORKER_SCRIPT = path.join(__dirname, 'lambda-worker.js');
const OWN_RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
/** A crash-once fault ends the environment before the handler starts: nothing it would do is half done. */
const CRASH_AFTER_MS = 0;

export const functionArn = (region: string, name: string) => `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;

/**
 * Node flags of a function's workers: the parent's (e.g. --openssl-legacy-provider) without debugger flags.
 * A built bundle is plain CommonJS, so module loaders (`--import tsx`) are left out: they cost ~300 ms per
 * cold start. A `.ts` handler keeps them.
 */
export function workerExecArgv(parent: readonly string[], handlerFile: string): string[] {
  const keepLoaders = /\.(ts|mts|cts)$/.test(handlerFile);
  const out: string[] = [];
  const rest = [...parent];
  for (let a = rest.shift(); a !== undefined; a = rest.shift()) {
    if (/^--(inspect|debug)/.test(a)) continue;
    if (!keepLoaders && /^(--import|--require|-r|--loader|--experimental-loader)$/.test(a)) {
      rest.shift(); // the loader it names
      continue;
    }
    if (!keepLoaders && /^(--import|--require|--loader|--experimental-loader)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/** `name`, `name:qualifier`, a partial ARN or a full ARN -> the function name. */
export function functionNameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  const i = parts.indexOf('function');
  const name = i >= 0 ? parts[i + 1] : undefined;
  return name ?? parts[0] ?? nameOrArn;
}

/**
 * Runs Lambda functions like their execution environments: one forked Node process per environment, one
 * invocation at a time each, reused while warm, up to the function's concurrency; per-invocation timeout
 * (the environment is killed, as Lambda does) and crash detection.
 */
export class LambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  /** The Node.js binary of each function's runtime. */
  private readonly binaries = new Map<string, string>();
  private readonly execArgv: string[];
  private closed = false;

  constructor(private readonly opts: LambdaRuntimeOptions) {
    this.execArgv = opts.execArgv ?? process.execArgv;
  }

  /** Adds a function; throws UnsupportedRuntimeError when its runtime cannot run here (startup stops). */
  register(def: FunctionDefinition): void {
    const runtime = def.runtime ?? OWN_RUNTIME;
    this.binaries.set(def.name, nodeBinaryFor(runtime, def.name));
    const existing = this.pools.get(def.name);
    if (existing) for (const w of existing.all) w.child.kill('SIGKILL');
    this.pools.set(def.name, new FunctionPool(def));
  }

  /**
   * Starts up to `count` execution environments ahead of traffic (as provisioned concurrency does), so the
   * first burst does not pay every cold start at once. Resolves when they finished loading the handler.
   */
  async warm(nameOrArn: string, count: number): Promise<void> {
    const pool = this.pools.get(functionNameOf(nameOrArn));
    if (!pool || this.closed) return;
    const started: Worker[] = [];
    while (pool.all.size < Math.min(count, pool.limit)) {
      const w = this.spawn(pool);
      pool.idle.push(w);
      started.push(w);
    }
    await Promise.all(started.map((w) => w.ready.catch(() => undefined)));
  }

  has(nameOrArn: string): boolean {
    return this.pools.has(functionNameOf(nameOrArn));
  }

  functionNames(): string[] {
    return [...this.pools.keys()].sort();
  }

  definition(nameOrArn: string): FunctionDefinition | undefined {
    return this.pools.get(functionNameOf(nameOrArn))?.def;
  }

  functionArn(name: string): string {
    return functionArn(this.opts.region, functionNameOf(name));
  }

  async invoke(nameOrArn: string, event: unknown, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const name = functionNameOf(nameOrArn);
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`Function not found: ${this.functionArn(name)}`);
    pool.stats.running++;
    pool.stats.invocations++;
    try {
      const result = await this.run(pool, event, opts);
      if (!result.ok) {
        pool.stats.errors++;
        if (result.kind === 'TimedOut') pool.stats.timeouts++;
        if (result.kind === 'Crashed') pool.stats.crashes++;
      }
      return result;
    } finally {
      pool.stats.running--;
    }
  }

  stats(): Record<string, FunctionStats> {
    const out: Record<string, FunctionStats> = {};
    for (const [name, p] of this.pools) out[name] = { ...p.stats, workers: p.all.size };
    return out;
  }

  /** No invocation running or waiting for an environment. */
  idle(): boolean {
    for (const p of this.pools.values()) if (p.stats.running > 0) return false;
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const exits: Promise<unknown>[] = [];
    for (const p of this.pools.values()) {
      for (const w of p.all) {
        if (w.alive) exits.push(new Promise((r) => w.child.once('exit', r)));
        w.child.kill('SIGKILL');
      }
    }
    await Promise.all(exits);
  }

  private async run(pool: FunctionPool, event: unknown, opts: InvokeOptions): Promise<InvocationResult> {
    const worker = await this.acquire(pool);
    const requestId = randomUUID();
    const started = Date.now();
    let init: Awaited<Worker['ready']>;
    try {
      init = await worker.ready;
    } catch (e) {
      this.discard(pool, worker);
      return { ok: false, kind: 'InitError', errorType: 'Runtime.ExitError', errorMessage: String(e), requestId, durationMs: Date.now() - started };
    }
    pool.stats.lastInitMs = init.initMs;
    if (init.error && !opts.crash) {
      this.release(pool, worker);
      return { ok: false, kind: 'InitError', ...init.error, requestId, durationMs: Date.now() - started };
    }
    const def = pool.def;
    const timeoutMs = def.timeoutSeconds * 1000;
    return new Promise<InvocationResult>((resolve) => {
      const pending: Pending = { id: requestId, requestId, started: Date.now(), resolve };
      worker.current = pending;
      pending.timer = setTimeout(() => {
        if (worker.current !== pending) return;
        worker.current = undefined;
        const line = `${new Date().toISOString()} ${requestId} Task timed out after ${def.timeoutSeconds.toFixed(2)} seconds`;
        this.opts.onLog?.(def.name, line);
        // Lambda ends the environment on a timeout; the next invocation starts a new one.
        this.discard(pool, worker);
        resolve({ ok: false, kind: 'TimedOut', errorType: 'Sandbox.Timedout', errorMessage: line.slice(line.indexOf('Task')), requestId, durationMs: Date.now() - pending.started });
      }, timeoutMs);
      // A hung handler: the environment stops answering (SIGSTOP) and the timeout kills it, as Lambda does.
      if (opts.hang) worker.child.kill('SIGSTOP');
      worker.child.send({
        type: 'invoke',
        id: requestId,
        event,
        deadline: pending.started + timeoutMs,
        crashAfterMs: opts.crash ? CRASH_AFTER_MS : undefined,
        crashOnParse: opts.crashOnParse,
        functionName: def.name,
        invokedFunctionArn: this.functionArn(def.name),
        memoryLimitInMB: def.memoryMb ?? 128,
        awsRequestId: requestId,
        logGroupName: names.logGroup(def.name),
        logStreamName: `local/[$LATEST]${worker.child.pid}`,
      });
    });
  }

  private spawn(pool: FunctionPool): Worker {
    const def = pool.def;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: this.opts.region,
      AWS_DEFAULT_REGION: this.opts.region,
      AWS_LAMBDA_FUNCTION_NAME: def.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memoryMb ?? 128),
      AWS_LAMBDA_LOG_GROUP_NAME: names.logGroup(def.name),
      AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime ?? OWN_RUNTIME}`,
      ...def.env,
    };
    const child = fork(WORKER_SCRIPT, [def.handlerFile, def.handlerExport ?? 'handler'], {
      env,
      execPath: this.binaries.get(def.name),
      execArgv: this.opts.execArgv ?? workerExecArgv(this.execArgv, def.handlerFile),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const w = new Worker(child);
    pool.all.add(w);
    pool.stats.coldStarts++;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.opts.onLog?.(def.name, line));
    }
    child.on('message', (m: { type: string; id?: string; ok?: boolean; payload?: string; errorType?: string; errorMessage?: string; trace?: string[] }) => {
      if (m?.type !== 'done') return;
      const p = w.current;
      if (!p || p.id !== m.id) return;
      w.current = undefined;
      clearTimeout(p.timer);
      const durationMs = Date.now() - p.started;
      this.release(pool, w);
      if (m.ok) p.resolve({ ok: true, payload: m.payload === undefined ? null : JSON.parse(m.payload), requestId: p.requestId, durationMs });
      else {
        // The Node.js runtime logs a function error to the function's log before returning it (one JSON object).
        const error = { errorType: m.errorType ?? 'Error', errorMessage: m.errorMessage ?? '', stack: m.trace ?? [] };
        this.opts.onLog?.(def.name, `${new Date().toISOString()}\t${p.requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}`);
        p.resolve({ ok: false, kind: 'Unhandled', errorType: error.errorType, errorMessage: error.errorMessage, trace: m.trace, requestId: p.requestId, durationMs });
      }
    });
    child.on('exit', (code, signal) => {
      w.alive = false;
      const p = w.current;
      w.current = undefined;
      const wasMember = pool.all.delete(w);
      const i = pool.idle.indexOf(w);
      if (i >= 0) pool.idle.splice(i, 1);
      if (p) {
        clearTimeout(p.timer);
        const reason = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
        const msg = `RequestId: ${p.requestId} Error: Runtime exited with error: ${reason}`;
        this.opts.onLog?.(def.name, `${new Date().toISOString()} ${msg}`);
        p.resolve({ ok: false, kind: 'Crashed', errorType: 'Runtime.ExitError', errorMessage: msg, requestId: p.requestId, durationMs: Date.now() - p.started });
      }
      // a slot opened: an invocation waiting for an environment gets a fresh one
      if (wasMember && !this.closed && pool.waiting.length > 0 && pool.all.size < pool.limit) pool.waiting.shift()!(this.spawn(pool));
    });
    return w;
  }

  private acquire(pool: FunctionPool): Promise<Worker> {
    const idle = pool.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (pool.all.size < pool.limit) return Promise.resolve(this.spawn(pool));
    return new Promise((resolve) => pool.waiting.push(resolve));
  }

  private release(pool: FunctionPool, w: Worker): void {
    if (!w.alive || !pool.all.has(w)) return;
    const next = pool.waiting.shift();
    if (next) next(w);
    else pool.idle.push(w);
  }

  private discard(_pool: FunctionPool, w: Worker): void {
    w.current = undefined;
    w.child.kill('SIGKILL');
  }
}
