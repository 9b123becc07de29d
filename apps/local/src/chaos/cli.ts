import { performance } from 'node:perf_hooks';
import { ensureBundles } from '../cli/ensure-bundles';
import { PLAN_SOURCE_USAGE } from '../cli/plan-source-flags';
import { ChaosUsageError, parseChaosArgs, type ChaosArgs } from './chaos-args';
import { formatRepeatSummary, repeatExitCode, summarizeRuns, type ChaosRun } from './chaos-repeat';
import { chaosExitCode, formatChaosTable, resultCell } from './chaos-table';
import { runChaos } from './run-chaos';
import { CHAOS_SCENARIOS } from './scenarios';

const NAMES = CHAOS_SCENARIOS.map((s) => s.name);
const USAGE = `usage: npm run chaos -- [--only <scenario>] [--size <messages>] [--repeat <runs>] [--json]
                      [--env NAME | --env-file FILE] [--stack FILE]
${PLAN_SOURCE_USAGE}
scenarios: ${NAMES.join(', ')}`;

async function runOnce(args: ChaosArgs, label: string): Promise<ChaosRun> {
  const scenarios = args.only ? CHAOS_SCENARIOS.filter((s) => s.name === args.only) : CHAOS_SCENARIOS;
  const started = performance.now();
  const rows = await runChaos(scenarios, {
    ...(args.size ? { size: args.size } : {}),
    source: args.source,
    log: (line) => process.stderr.write(`${line}\n`),
    onRow: (r) => process.stderr.write(`chaos${label}: ${r.scenario}: ${resultCell(r)} in ${r.seconds.toFixed(1)} s\n`),
  });
  return { rows, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/**
 * `npm run chaos`: each scenario on a fresh local stack; the table on stdout, progress on stderr.
 * `--repeat N` runs the matrix N times, prints each table, then passes/N, wall time per run and the slowest scenario.
 */
async function main(): Promise<number> {
  let args: ChaosArgs;
  try {
    args = parseChaosArgs(process.argv.slice(2), NAMES);
  } catch (err) {
    if (!(err instanceof ChaosUsageError)) throw err;
    process.stderr.write(`chaos: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  // The scenarios run the handler bundles in process: build them first when missing or stale (a fresh `npm ci`
  // has none), as `run` and `serve` do, rather than failing the first rows and letting `serve` rebuild mid-matrix.
  ensureBundles((line) => process.stderr.write(`chaos: ${line}\n`));
  if (args.repeat === 1) {
    const { rows } = await runOnce(args, '');
    process.stdout.write(`${args.json ? JSON.stringify(rows, null, 2) : formatChaosTable(rows)}\n`);
    return chaosExitCode(rows);
  }
  const runs: ChaosRun[] = [];
  for (let i = 1; i <= args.repeat; i++) {
    const run = await runOnce(args, ` run ${i}/${args.repeat}`);
    runs.push(run);
    if (!args.json) process.stdout.write(`run ${i}/${args.repeat} (${run.seconds.toFixed(1)} s)\n${formatChaosTable(run.rows)}\n\n`);
  }
  const summary = summarizeRuns(runs);
  process.stdout.write(`${args.json ? JSON.stringify({ runs, summary }, null, 2) : formatRepeatSummary(summary)}\n`);
  return repeatExitCode(summary);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
