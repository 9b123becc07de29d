import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { LOCKS, breakerLockId, names, type BreakerState } from '@lean-ops/contracts';
import { REPO_ROOT as ROOT } from './paths';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const LOCAL_ENV = fs.readFileSync(path.join(ROOT, 'environments/local.tfvars'), 'utf8');
const PREFIX = 'lean-ops-local';

interface Info {
  endpoint: string;
  region: string;
  tables: { locks: string };
  endpoints: { dynamodb: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** The local stack as a child process; resolves with its info line. */
function serve(envFile: string, dataDir: string): Promise<{ child: ChildProcess; info: Info }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', path.join(ROOT, 'apps/local/src/cli.ts'), 'serve', '--data-dir', dataDir, '--env-file', envFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      resolve({ child, info: JSON.parse(line) as Info });
      lines.on('line', () => undefined);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before its info line: ${err}`)));
  });
}

describe('npm run concurrency against the local stack', () => {
  let tmp: string;
  let envDir: string;
  let stack: { child: ChildProcess; info: Info };
  let lambda: LambdaClient;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-concurrency-'));
    envDir = path.join(tmp, 'environments');
    fs.mkdirSync(envDir);
    // The stack runs the file as deployed; a long cool-down keeps its own breaker from probing during the test.
    const deployed = path.join(tmp, 'deployed.tfvars');
    fs.writeFileSync(deployed, LOCAL_ENV.replace(/cooldown_seconds\s*=\s*\d+/, 'cooldown_seconds = 86400'));
    stack = await serve(deployed, path.join(tmp, 'data'));
    const { region, credentials } = stack.info;
    lambda = new LambdaClient({ region, endpoint: stack.info.endpoint, credentials });
    ddb = new DynamoDBClient({ region, endpoint: stack.info.endpoints.dynamodb, credentials });
  }, 120_000);

  afterAll(async () => {
    lambda?.destroy();
    ddb?.destroy();
    if (stack) {
      const exited = new Promise((resolve) => stack.child.once('exit', resolve));
      stack.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  /** The env file as edited by an operator: orders at `value`. */
  const editOrders = (value: number) => {
    const text = LOCAL_ENV.replace(/(name\s*=\s*"orders"[\s\S]*?maximum_concurrency\s*=\s*)\d+/, `$1${value}`);
    fs.writeFileSync(path.join(envDir, 'local.tfvars'), text);
  };
  const ordersMapping = async () => {
    const all = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: names.fn(PREFIX, 'sqs-processor') }))).EventSourceMappings ?? [];
    return all.find((m) => m.EventSourceArn!.endsWith(`:${names.topicQueue(PREFIX, 'orders')}`))!;
  };
  /** The mapping once its change settled: AWS reports `Updating` (and the like) for a while after an update. */
  const settledOrdersMapping = async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const m = await ordersMapping();
      if (!/ing$/.test(m.State ?? '') || Date.now() > deadline) return m;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const setBreaker = (state: BreakerState, version: number) =>
    ddb.send(
      new PutItemCommand({
        TableName: stack.info.tables.locks,
        Item: {
          [LOCKS.partitionKey]: { S: breakerLockId('orders') },
          [LOCKS.attributes.topic]: { S: 'orders' },
          [LOCKS.attributes.state]: { S: state },
          [LOCKS.attributes.version]: { N: String(version) },
          [LOCKS.attributes.changedAt]: { S: new Date().toISOString() },
          [LOCKS.attributes.openedAt]: { S: '2026-11-30T10:00:00.000Z' },
          [LOCKS.attributes.reason]: { S: 'test' },
        },
      }),
    );
  const run = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, LEAN_OPS_ENVIRONMENTS_DIR: envDir, AWS_ACCESS_KEY_ID: stack.info.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: stack.info.credentials.secretAccessKey };
      const argv = [path.join(__dirname, 'concurrency.ts'), '--env', 'local', '--topic', 'orders', '--endpoint', stack.info.endpoint, '--dynamodb-endpoint', stack.info.endpoints.dynamodb, ...args];
      execFile(TSX, argv, { cwd: ROOT, env }, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });

  it('CLOSED (never tripped): applies the env file value to the live mapping and leaves it enabled', async () => {
    const before = await settledOrdersMapping();
    expect(before.ScalingConfig?.MaximumConcurrency).toBe(2);
    editOrders(4);
    const dry = await run('--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('topic orders: breaker CLOSED');
    expect(dry.stdout).toContain('maximum concurrency 2: would set 4 (dry run)');
    expect((await ordersMapping()).ScalingConfig?.MaximumConcurrency).toBe(2);

    const applied = await run();
    expect(applied.stderr).not.toMatch(/^Error/m);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('maximum concurrency 2: set to 4');
    const after = await settledOrdersMapping();
    expect(after.ScalingConfig?.MaximumConcurrency).toBe(4);
    expect(after.State).toBe(before.State);
    expect((await run()).stdout).toContain('maximum concurrency 4: already 4');
  });

  /**
   * Puts the breaker in `state` and runs the command until it sees that state. The stack's own breaker is live: its
   * first alarm evaluation (about 5 s after start) notifies OK, which closes a HALF_OPEN breaker and restores the
   * deployed value (2); a run that saw CLOSED then applied the value, as it should, and the next attempt follows.
   * A mapping already at the env file's value is reported unchanged in any state (nothing to refuse), so each attempt
   * asks for a value the mapping does not have: `wanted`, or `wanted + 1` once an earlier attempt applied it.
   */
  const refusedWhile = async (state: BreakerState, wanted: number) => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      await setBreaker(state, 100 + attempt);
      const before = (await ordersMapping()).ScalingConfig?.MaximumConcurrency;
      const desired = before === wanted ? wanted + 1 : wanted;
      editOrders(desired);
      const r = await run();
      if (r.status === 3) return { r, before, desired };
      expect(r.stdout).toContain('topic orders: breaker CLOSED');
      expect(r.stdout).toMatch(new RegExp(`(set to|already) ${desired}`));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`the command never saw the breaker ${state}`);
  };

  it('OPEN or HALF_OPEN: refuses with exit 3 and a message, and does not touch the mapping', async () => {
    const open = await refusedWhile('OPEN', 8);
    expect(open.r.stdout).toMatch(/topic orders: breaker OPEN, mapping \S+ \(\w+\) maximum concurrency \d+: not changed/);
    expect(open.r.stderr).toContain('refused: the circuit breaker of orders is OPEN since 2026-11-30T10:00:00.000Z: its mapping is disabled');
    expect((await ordersMapping()).ScalingConfig?.MaximumConcurrency).not.toBe(open.desired);

    const halfOpen = await refusedWhile('HALF_OPEN', 6);
    expect(halfOpen.r.stderr).toContain('is HALF_OPEN since 2026-11-30T10:00:00.000Z: it is probing at the lowest concurrency');
    // Unchanged by the refused run (the live breaker may only restore its deployed 2).
    expect([halfOpen.before, 2]).toContain((await ordersMapping()).ScalingConfig?.MaximumConcurrency);

    await setBreaker('CLOSED', 200);
    const closed = await run();
    expect(closed.status).toBe(0);
    expect((await ordersMapping()).ScalingConfig?.MaximumConcurrency).toBe(halfOpen.desired);
  });

  it('names an unknown topic', async () => {
    const r = await new Promise<{ status: number; stderr: string }>((resolve) =>
      execFile(TSX, [path.join(__dirname, 'concurrency.ts'), '--env', 'local', '--topic', 'nope'], { cwd: ROOT, env: { ...process.env, LEAN_OPS_ENVIRONMENTS_DIR: envDir } }, (e, _o, stderr) =>
        resolve({ status: e ? Number(e.code ?? 1) : 0, stderr }),
      ),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('environments/local.tfvars has no topic "nope" (topics: orders, payments, clickstream)');
  });
});
