import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { displayPath, loadEnvironment, loadEnvironments } from './load';
import assert from 'node:assert/strict';

const ENVIRONMENTS = path.resolve(__dirname, '../../../environments');

describe('the shipped environment files', () => {
  it('dev: three topics with expected fields, windows where batches exceed 10', async () => {
    const dev = await loadEnvironment(path.join(ENVIRONMENTS, 'dev.tfvars'));
    expect(dev.environment).toBe('dev');
    expect(dev.allowedAccountIds).toEqual(['111111111111']);
    expect(dev.topics.map((t) => t.name)).toEqual(['orders', 'payments', 'clickstream']);
    expect(dev.topics.every((t) => t.expectedFields.length > 0)).toBe(true);
    expect(dev.messaging.visibilityTimeoutSeconds).toBe(6 * dev.lambda.timeoutSeconds);
    expect(dev.backend).toEqual({ bucket: 'lean-ops-tfstate-111111111111', key: 'lean-ops/dev.tfstate', region: 'eu-west-1' });
  });

  it('prod: larger batches with a window, more concurrency and longer retention than dev', async () => {
    const [dev, prod] = await Promise.all(['dev', 'prod'].map((e) => loadEnvironment(path.join(ENVIRONMENTS, `${e}.tfvars`))));
    assert(dev);
    assert(prod);
    expect(prod.allowedAccountIds).toEqual(['222222222222']);
    for (const t of prod.topics) {
      expect(t.batchSize).toBeGreaterThanOrEqual(100);
      expect(t.batchingWindowSeconds).toBe(5);
      expect(t.maximumConcurrency).toBeGreaterThan(dev.topics.find((d) => d.name === t.name)!.maximumConcurrency);
    }
    expect(prod.retention.logDays).toBeGreaterThan(dev.retention.logDays);
    expect(prod.retention.archiveExpirationDays).toBeGreaterThan(dev.retention.archiveExpirationDays);
  });

  it('local: small buffers and a short breaker cooldown for a laptop run', async () => {
    const local = await loadEnvironment(path.join(ENVIRONMENTS, 'local.tfvars'));
    expect(local.namePrefix).toBe('lean-ops-local');
    expect(local.allowedAccountIds).toEqual(['000000000000']);
    expect(local.firehose).toMatchObject({ bufferSizeMb: 1, bufferIntervalSeconds: 0 });
    expect(local.breaker.cooldownSeconds).toBe(10);
    // A crashed batch is back in 30 s; a transiently failed record in 1 s, 2 s, 4 s.
    expect(local.lambda.timeoutSeconds).toBe(5);
    expect(local.messaging).toMatchObject({ visibilityTimeoutSeconds: 30, retryBaseDelaySeconds: 1, retryMaxDelaySeconds: 5 });
    expect(local.topics.map((t) => [t.name, t.batchSize, t.batchingWindowSeconds])).toEqual([
      ['orders', 1000, 1],
      ['payments', 1000, 1],
      ['clickstream', 1000, 1],
    ]);
  });

  it('the directory loads without problems', async () => {
    const { configs, problems } = await loadEnvironments(ENVIRONMENTS);
    expect(problems).toEqual([]);
    expect(configs.map((c) => c.environment)).toEqual(['dev', 'local', 'prod']);
  });
});

describe('files on disk', () => {
  let dir: string;
  const dev = readFileSync(path.join(ENVIRONMENTS, 'dev.tfvars'), 'utf8');
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'lean-ops-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('a syntax error names the file and the line', async () => {
    const file = write('dev.tfvars', 'region = "eu-west-1"\ntopics = [\n  { name = "orders" }\n  { name = "payments" }\n]\n');
    await expect(loadEnvironment(file)).rejects.toThrow(ConfigError);
    const error = await loadEnvironment(file).catch((e: ConfigError) => e);
    expect((error as ConfigError).problems).toEqual([`${displayPath(file)}:4:3: syntax error: Missing item separator; Expected a comma to mark the beginning of the next item.`]);
  });

  it('an argument set twice is a syntax error on its second line', async () => {
    const file = write('dev.tfvars', 'region = "eu-west-1"\nregion = "eu-west-2"\n');
    const error = (await loadEnvironment(file).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${displayPath(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: syntax error: Attribute redefined;`));
  });

  it('collects the problems of every file and keeps the good ones', async () => {
    write('dev.tfvars', dev);
    write('prod.tfvars', dev.replace('lean-ops/dev.tfstate', 'lean-ops/prod.tfstate').replace('batching_window_seconds = 2', 'batching_window_seconds = 0'));
    write('notes.txt', 'not an environment');
    const { configs, problems } = await loadEnvironments(dir);
    expect(configs.map((c) => c.environment)).toEqual(['dev']);
    expect(problems).toEqual([`${displayPath(path.join(dir, 'prod.tfvars'))}: topics[2].batch_size: 50: batch size > 10 requires batching_window_seconds > 0 (AWS)`]);
  });

  it('two environments may not share a state file or a name prefix in one account', async () => {
    write('dev.tfvars', dev);
    write('dev2.tfvars', dev);
    const { problems } = await loadEnvironments(dir);
    const file = displayPath(path.join(dir, 'dev2.tfvars'));
    const other = displayPath(path.join(dir, 'dev.tfvars'));
    expect(problems).toEqual([
      `${file}: backend.key: "lean-ops/dev.tfstate": state file already used by ${other}; each environment needs its own backend key`,
      `${file}: name_prefix: "lean-ops-dev": name prefix already used by ${other} in account 111111111111; resource names would collide`,
    ]);
  });

  it('a directory without environment files is a problem, not an empty success', async () => {
    expect(await loadEnvironments(dir)).toEqual({ configs: [], problems: [`${displayPath(dir)}: no *.tfvars environment files`] });
  });
});
