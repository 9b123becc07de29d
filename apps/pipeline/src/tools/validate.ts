import { parseArgs } from 'node:util';
import { reportLines } from './check-environment';
import { exitOnError } from './cli-errors';
import { checkAll, requireTerraform, stackDirOf, synthAll, terraformContext } from './offline-checks';
import { pipelinePaths } from './paths';

const USAGE = [
  'usage: npm run validate [-- --env <env> ...] [--force]',
  '  --env    check only these environments (every file is still validated; default: all)',
  '  --force  run terraform even for stacks unchanged since their last successful check',
  '  --parallel <n>  environments checked at once (default: 2, or 1 on a single core)',
].join('\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `npm run validate`: synthesize every environment, then the real terraform init, validate and an offline
 * plan per environment; one line per environment, non-zero exit on any failure.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string', multiple: true }, force: { type: 'boolean' }, parallel: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const concurrency = values.parallel === undefined ? undefined : Number(values.parallel);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    process.stderr.write(`--parallel must be a whole number >= 1, got ${JSON.stringify(values.parallel)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const paths = pipelinePaths();
  requireTerraform(); // fail before a synth that would be wasted
  const only = values.env?.flatMap((e) => e.split(',')).filter(Boolean);
  const { environments, synthMs } = await synthAll(paths, only);
  const ctx = terraformContext(
    paths,
    environments.map((e) => stackDirOf(paths, e)),
  );
  const terraformStarted = Date.now();
  const checks = await checkAll(paths, environments, ctx, {
    force: values.force,
    concurrency,
    onCheck: (check) => reportLines(check).forEach((l) => console.log(l)),
  });
  console.log(`synth ${seconds(synthMs)} (${environments.join(', ')}), terraform ${seconds(Date.now() - terraformStarted)}, total ${seconds(Date.now() - started)}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch(exitOnError);
