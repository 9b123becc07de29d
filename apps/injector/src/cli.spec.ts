import { join } from 'node:path';
import { GetQueueUrlCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { main, type CliDeps } from './cli';

const ROOT = join(__dirname, '..', '..', '..');
const ENV_FILE = join(ROOT, 'environments', 'local.tfvars');
const CONFIGS = join(__dirname, '..', 'tests', 'configs');
const BAD = join(__dirname, '__fixtures__', 'bad-configs');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s), isTTY: false }, env: {} },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** A fake SQS endpoint: knows the queues named in `queues` and accepts every batch. */
function fakeSqs(queues: string[]) {
  const sent: Record<string, number> = {};
  const configs: unknown[] = [];
  const deps: CliDeps = {
    createClient: (config) => {
      configs.push(config);
      return {
        send: (async (command: unknown) => {
          if (command instanceof GetQueueUrlCommand) {
            const name = command.input.QueueName!;
            if (!queues.includes(name)) throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
            return { QueueUrl: `http://127.0.0.1:4566/000000000000/${name}` };
          }
          if (command instanceof SendMessageBatchCommand) {
            const entries = command.input.Entries ?? [];
            sent[command.input.QueueUrl!] = (sent[command.input.QueueUrl!] ?? 0) + entries.length;
            return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
          }
          throw new Error(`unexpected ${String(command)}`);
        }) as never,
      };
    },
  };
  return { deps, sent, configs };
}

describe('inject CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const t = io();
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.stdout()).toContain('Usage: npm run inject -- --config <scenario.json>');
  });

  it.each([
    [[], 'inject: --config <scenario.json> is required'],
    [['--config'], "inject: Option '-c, --config <value>' argument missing"],
    [['--config', 'x.json', '--rate', '5'], "inject: Unknown option '--rate'"],
    [['--config', 'x.json', 'extra'], 'inject: Unexpected argument'],
    [['--config', 'x.json', '--endpoint', 'localhost:4566'], 'inject: --endpoint: "localhost:4566": must be an http(s) URL'],
    [['--config', 'x.json', '--region', 'Europe'], 'inject: --region: "Europe": must be an AWS region'],
    [['--config', 'x.json', '--connections', '0'], 'inject: --connections: "0": must be an integer between 1 and 64'],
    [['--config', 'x.json', '--connections', 'many'], 'inject: --connections: "many": must be an integer between 1 and 64'],
  ])('refuses bad flags %j with exit 2', async (argv, message) => {
    const t = io();
    expect(await main(argv as string[], t.io)).toBe(2);
    expect(t.stderr()).toContain(message);
    expect(t.stdout()).toBe('');
  });

  it('prints every problem of a bad scenario and exits 2 before contacting SQS', async () => {
    const t = io();
    const fake = fakeSqs([]);
    const file = join(BAD, 'mix-over-100.json');
    expect(await main(['--config', file, '--env-file', ENV_FILE], t.io, fake.deps)).toBe(2);
    expect(t.stderr()).toBe(`inject: invalid scenario\n${file}: mix: {"malformed_json":60,"processing_error":30,"schema_drift":20}: percentages sum to 110, must be <= 100\n`);
    expect(fake.configs).toEqual([]);
  });

  it('exits 2 for a missing environment file', async () => {
    const t = io();
    expect(await main(['--config', join(CONFIGS, 'duplicates.json'), '--env-file', join(BAD, 'none.tfvars')], t.io)).toBe(2);
    expect(t.stderr()).toContain('inject: invalid environment file');
    expect(t.stderr()).toContain('none.tfvars');
  });

  it('exits 2 when the scenario names a topic the environment does not have', async () => {
    const t = io();
    const fake = fakeSqs([]);
    expect(await main(['--config', join(BAD, 'topic-unknown.json'), '--env-file', ENV_FILE], t.io, fake.deps)).toBe(2);
    expect(t.stderr()).toContain('topics.refunds: 1: not a topic of the environment (topics: orders, payments, clickstream)');
  });

  it('exits 1 naming the queue when a topic queue does not exist', async () => {
    const t = io();
    const fake = fakeSqs(['lean-ops-local-orders']);
    expect(await main(['--config', join(CONFIGS, 'malformed_burst.json'), '--env-file', ENV_FILE, '--endpoint', 'http://127.0.0.1:4566'], t.io, fake.deps)).toBe(1);
    expect(t.stderr()).toBe('inject: topic clickstream: cannot find queue "lean-ops-local-clickstream" at http://127.0.0.1:4566: QueueDoesNotExist: The specified queue does not exist.\n');
  });

  it('sends a scenario and prints the JSON summary on stdout, progress on stderr', async () => {
    const t = io();
    const fake = fakeSqs(['lean-ops-local-orders', 'lean-ops-local-payments', 'lean-ops-local-clickstream']);
    const code = await main(['--config', join(CONFIGS, 'duplicates.json'), '--env-file', ENV_FILE, '--endpoint', 'http://127.0.0.1:4566'], t.io, fake.deps);
    expect(code).toBe(0);
    const summary = JSON.parse(t.stdout());
    expect(summary).toMatchObject({ scenario: 'duplicates', total: 1000, sent: 1000, failed: 0, endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' });
    expect(summary.sentByExpected.duplicate).toBeGreaterThan(90);
    expect(Object.values(fake.sent).reduce((s, n) => s + n, 0)).toBe(1000);
    expect(t.stderr()).toMatch(/inject duplicates: 1000\/1000 \(100%\)/);
    // A loopback endpoint gets placeholder credentials when none are configured.
    expect(fake.configs[0]).toMatchObject({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', credentials: { accessKeyId: 'local' } });
  });
});
