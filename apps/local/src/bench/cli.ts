import * as os from 'node:os';
import * as path from 'node:path';
import { benchmarkWriter } from '@lean-ops/iceberg';
import { generateMessages, loadScenario, parseScenario } from '@lean-ops/injector';
import { loadEnvironment } from '@lean-ops/config';
import { planSourceOf } from '../cli/plan-source-flags';
import { benchReport } from './bench-report';
import { measureBundles } from './bundles';
import { measureEndToEnd } from './end-to-end';
import { hotPathStages, measureHotPath } from './hot-path';
import { measurePlanReview } from './plan-review';
import { measureSynth, measureTypecheck } from './toolchain';
import { REPO_ROOT } from '../stack/repo-root';

const DEFAULT_SCENARIO = path.join(REPO_ROOT, 'apps/injector/tests/configs/thundering_herd.json');
const DEFAULT_ENV = path.join(REPO_ROOT, 'environments/local.tfvars');
const WRITER_ROWS = 20_000;
/**
 * Runs without faults, each on a fresh stack: one run's rates move by a fifth between runs on a 2-core machine
 * (the senders' threads and the functions' environments start cold every run), so the targets use the median.
 */
const NO_FAULT_RUNS = 3;

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `npm run bench [-- --scenario FILE --env NAME | --env-file FILE --stack FILE]`: progress on stderr, one JSON object on stdout. */
async function main(argv: string[]): Promise<void> {
  const say = (s: string) => process.stderr.write(`bench: ${s}\n`);
  const plan = planSourceOf({ env: flag(argv, '--env'), envFile: flag(argv, '--env-file'), stack: flag(argv, '--stack') });
  if (!plan.ok) throw new Error(plan.error);
  const envFile = plan.source.envFile ?? DEFAULT_ENV;
  const stackFile = plan.source.stackFile;
  const scenario = await loadScenario(path.resolve(flag(argv, '--scenario') ?? DEFAULT_SCENARIO));
  const config = await loadEnvironment(envFile);
  const messages = generateMessages(
    scenario,
    config.topics.map((t) => ({ name: t.name, expectedFields: t.expectedFields })),
  );

  // Synth first: the process's peak RSS right after it is the synth's.
  say('synth (all environments, in process)');
  const synth = await measureSynth(REPO_ROOT);
  say('type-check apps/pipeline');
  const typecheck = measureTypecheck(REPO_ROOT);
  say('processor hot path vs JSON.parse + JSON.stringify');
  const expected = new Map(config.topics.map((t) => [t.name, t.expectedFields]));
  const inputs = messages.map((m) => ({ topic: m.topic, body: m.body, expectedFields: expected.get(m.topic) ?? [] }));
  const hotPath = measureHotPath(inputs);
  const hotPathStagesMicros = hotPathStages(inputs);
  say('iceberg writer');
  const writer = await benchmarkWriter(WRITER_ROWS);
  say('bundles: size and cold init');
  const bundles = measureBundles(5);
  say(`end to end: ${scenario.name} (${messages.length} messages) through the local stack`);
  const endToEnd = await measureEndToEnd(scenario, { envFile, stackFile, messages });
  // The same volume and topics without faults: what the pipeline does when no record needs a retry.
  say(`end to end: the same volume without faults (${NO_FAULT_RUNS} runs)`);
  const clean = parseScenario(
    { name: `${scenario.name}-no-faults`, total: scenario.total, rate: scenario.rate, seed: scenario.seed, topics: Object.fromEntries(Object.entries(scenario.topics).map(([t, p]) => [t, p.weight])) },
    '<bench>',
  );
  const endToEndNoFaults = [];
  for (let run = 0; run < NO_FAULT_RUNS; run++) endToEndNoFaults.push(await measureEndToEnd(clean, { envFile, stackFile }));

  say('plan review: one --base review of dev (real terraform)');
  const planReview = measurePlanReview(REPO_ROOT);
  const report = benchReport({
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    endToEnd,
    endToEndNoFaults,
    hotPath,
    hotPathStagesMicros,
    icebergWriter: { rows: WRITER_ROWS, rowsPerSecond: writer.rowsPerSecond },
    synth,
    typecheck,
    bundles,
  });
  process.stdout.write(`${JSON.stringify({ ...report, planReview }, null, 2)}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
