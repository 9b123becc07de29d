import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from './load-scenario';
import { ScenarioError } from './scenario-error';
import { DEFAULT_CONCURRENCY } from './scenario-schema';

const FIXTURES = join(__dirname, '__fixtures__', 'bad-configs');
const CONFIGS = join(__dirname, '..', 'tests', 'configs');

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadScenario(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).problems;
  }
  throw new Error(`${file} was accepted`);
}

/** One bad file per rule: the exact line it must produce (`<file>: <key path>: <value>: <rule>`). */
const RULES: Array<[string, string]> = [
  ['unknown-key', 'burst: true: unknown key; allowed keys: name, description, total, rate, seed, topics, mix, payload_bytes, event_time, concurrency'],
  ['misspelled-key', 'totl: 10: unknown key; did you mean "total"?'],
  ['missing-key', 'total: (missing): required key is missing'],
  ['wrong-type', 'total: "5000": must be an integer > 0'],
  ['negative-total', 'total: -5: must be > 0'],
  ['fractional-total', 'total: 10.5: must be an integer > 0'],
  ['total-too-large', 'total: 2000000: must be <= 1000000'],
  ['bad-rate', 'rate: "fast": must be a number of records per second > 0 or "unlimited"'],
  ['zero-rate', 'rate: 0: must be > 0 records per second (or "unlimited")'],
  ['bad-seed', 'seed: -3: must be an integer >= 0 (seed of the generator)'],
  ['bad-name', 'name: "Thundering Herd": must match ^[a-z0-9][a-z0-9_-]{0,63}$ (it becomes part of every message_id)'],
  ['mix-over-100', 'mix: {"malformed_json":60,"processing_error":30,"schema_drift":20}: percentages sum to 110, must be <= 100'],
  ['mix-negative', 'mix.malformed_json: -1: must be >= 0'],
  ['mix-unknown-kind', 'mix.malformed: 2: unknown key; did you mean "malformed_json"?'],
  ['mix-not-number', 'mix.duplicate: "5%": must be a number (percent of the records)'],
  ['topic-weight-format', 'topics.orders: "50%": must be a weight (a number > 0) or { "weight": <number > 0>, "mix": { ... } }'],
  ['topic-weight-zero', 'topics.orders: 0: weight must be > 0'],
  ['topic-bad-name', 'topics["Orders!"]: 1: topic names are lower-case letters, digits, "_" and "-" (^[a-z][a-z0-9_-]{0,39}$)'],
  ['topics-empty', 'topics: {}: must name at least one topic'],
  ['topic-mix-over-100', 'topics.orders.mix: {"processing_error":90,"malformed_json":20}: percentages sum to 110, must be <= 100'],
  ['topic-object-unknown-key', 'topics.orders.faults: {}: unknown key; allowed keys: weight, mix'],
  ['payload-bytes-range', 'payload_bytes: 2000000: must be between 64 and 262144 (larger records belong in the oversize mix)'],
  ['bad-event-time', 'event_time: "yesterday": must be "now" or an ISO-8601 date-time such as "2026-11-26T08:00:00Z"'],
  ['bad-concurrency', 'concurrency: 0: must be between 1 and 64'],
  ['too-many-oversize', 'mix.oversize: 10: asks for about 1000 oversize records (~1 MiB each); at most 200'],
  ['not-an-object', '(file): [{"name":"bad"}]: must be a JSON object'],
];

describe('loadScenario: one clear line per bad rule', () => {
  it.each(RULES)('%s', async (name, line) => {
    const file = join(FIXTURES, `${name}.json`);
    expect(await problemsOf(file)).toEqual([`${file}: ${line}`]);
  });

  it('has a test for every bad fixture', () => {
    // topic-unknown is a valid scenario that does not fit the environment (cli.spec.ts).
    const syntax = ['syntax-missing-comma', 'syntax-trailing-comma', 'syntax-truncated', 'empty', 'topic-unknown'];
    const tested = new Set([...RULES.map(([n]) => n), ...syntax]);
    expect(
      readdirSync(FIXTURES)
        .map((f) => f.replace(/\.json$/, ''))
        .filter((f) => !tested.has(f)),
    ).toEqual([]);
  });

  it('reports every problem of a file, not only the first', async () => {
    try {
      parseScenario({ name: 'x', total: -1, rate: 'slow', seed: 1, topics: { orders: 1 }, extra: 1 }, 'mem.json');
      throw new Error('accepted');
    } catch (err) {
      expect((err as ScenarioError).problems).toEqual([
        'mem.json: total: -1: must be > 0',
        'mem.json: rate: "slow": must be a number of records per second > 0 or "unlimited"',
        'mem.json: extra: 1: unknown key; allowed keys: name, description, total, rate, seed, topics, mix, payload_bytes, event_time, concurrency',
      ]);
    }
  });
});

describe('loadScenario: JSON syntax errors name the line and column', () => {
  it.each([
    ['syntax-missing-comma', 4, 3, '"\\"rate\\": \\"unlimited\\"": invalid JSON at line 4, column 3: Expected \',\' or \'}\' after property value'],
    ['syntax-trailing-comma', 3, 28, '"\\"topics\\": { \\"orders\\": 1, },": invalid JSON at line 3, column 28: Expected double-quoted property name'],
    ['syntax-truncated', 4, 1, '"": invalid JSON at line 4, column 1: Expected double-quoted property name'],
    ['empty', 1, 1, '"": invalid JSON at line 1, column 1: Unexpected end of JSON input'],
  ])('%s', async (name, line, column, rest) => {
    const file = join(FIXTURES, `${name}.json`);
    expect(await problemsOf(file)).toEqual([`${file}:${line}:${column}: (file): ${rest}`]);
  });
});

describe('loadScenario: files', () => {
  it('names a missing file', async () => {
    expect(await problemsOf('no/such/scenario.json')).toEqual(['no/such/scenario.json: (file): (missing): file not found']);
  });

  it('refuses a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    expect(await problemsOf(dir)).toEqual([`${dir}: (file): (missing): is a directory, not a scenario file`]);
  });

  it('applies defaults and lets a topic mix replace the scenario mix', async () => {
    const s = await loadScenario(join(CONFIGS, 'poison_topic.json'));
    expect(s.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(s.eventTime).toBe('now');
    expect(s.rate).toBe(300);
    expect(s.topics.payments?.mix.processing_error).toBe(100);
    expect(s.topics.orders?.mix.processing_error).toBe(0);
    expect(Object.keys(s.topics)).toEqual(['orders', 'payments', 'clickstream']);
  });

  it.each(readdirSync(CONFIGS).filter((f) => f.endsWith('.json')))('ships a valid scenario: %s', async (file) => {
    const s = await loadScenario(join(CONFIGS, file));
    expect(`${s.name}.json`).toBe(file);
  });
});
