import { ChaosUsageError, parseChaosArgs, type ChaosArgs } from './chaos-args';
import { chaosExitCode, formatChaosTable } from './chaos-table';
import { runChaos } from './run-chaos';
import { CHAOS_SCENARIOS } from './scenarios';

const NAMES = CHAOS_SCENARIOS.map((s) => s.name);
const USAGE = `usage: npm run chaos -- [--only <scenario>] [--size <messages>] [--json]
scenarios: ${NAMES.join(', ')}`;

/** `npm run chaos`: each scenario on a fresh local stack; the table on stdout, progress on stderr. */
async function main(): Promise<number> {
  let args: ChaosArgs;
  try {
    args = parseChaosArgs(process.argv.slice(2), NAMES);
  } catch (err) {
    if (!(err instanceof ChaosUsageError)) throw err;
    process.stderr.write(`chaos: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const scenarios = args.only ? CHAOS_SCENARIOS.filter((s) => s.name === args.only) : CHAOS_SCENARIOS;
  const rows = await runChaos(scenarios, {
    ...(args.size ? { size: args.size } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
    onRow: (r) => process.stderr.write(`chaos: ${r.scenario}: ${r.ok ? 'ok' : 'FAIL'} in ${r.seconds.toFixed(1)} s\n`),
  });
  process.stdout.write(`${args.json ? JSON.stringify(rows, null, 2) : formatChaosTable(rows)}\n`);
  return chaosExitCode(rows);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
