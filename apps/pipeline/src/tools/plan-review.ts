import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readStack } from './check-environment';
import { exitOnError } from './cli-errors';
import { stackDirOf, synthAll, terraformContext } from './offline-checks';
import { pipelinePaths, REPO_ROOT } from './paths';
import { planMarkdown } from './plan-markdown';
import { planAgainstBase, planAgainstEmptyState, planAgainstRealState, reviewDirOf, type ReviewedPlan } from './plan-review-modes';
import { countChanges, plannedChanges } from './plan-summary';

const USAGE = [
  'usage: npm run plan:review -- --env <env> [--base <git ref> | --real-state] [--out plan.md] [--fail-on-destroy]',
  '  --base <ref>       plan against the state the ref would have deployed (offline, no credentials)',
  '  --real-state       plan against the deployed state: S3 backend, AWS credentials from the environment',
  '  --out <file>       write the Markdown there instead of stdout',
  '  --fail-on-destroy  exit 3 when anything would be destroyed or replaced',
].join('\n');

/** Exit code of `--fail-on-destroy` when the plan destroys or replaces something (errors exit 1 or 2). */
const DESTROY_EXIT_CODE = 3;

/**
 * `npm run plan:review -- --env dev [--base origin/main | --real-state]`: the Markdown summary of an environment's
 * plan for a pull-request comment. Without either flag the plan is offline against an empty state.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      'real-state': { type: 'boolean' },
      'fail-on-destroy': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.env || (values.base && values['real-state'])) {
    if (!values.help) process.exitCode = 2;
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return;
  }
  const environment = values.env;
  const paths = pipelinePaths();
  await synthAll(paths, [environment]);
  const stackDir = stackDirOf(paths, environment);
  const ctx = terraformContext(paths, [stackDir]);
  const reviewDir = reviewDirOf(paths.workDir, environment);

  let reviewed: ReviewedPlan;
  if (values['real-state']) reviewed = await planAgainstRealState(ctx, stackDir, path.join(reviewDir, 'real-state'));
  else if (values.base) reviewed = await planAgainstBase(ctx, { repoDir: REPO_ROOT, ref: values.base, environment, headStackDir: stackDir, headBundles: paths.bundleRoot, reviewDir });
  else reviewed = await planAgainstEmptyState(ctx, environment, stackDir);

  const baseStack = reviewed.baseStackDir ? readStack(reviewed.baseStackDir) : undefined;
  const markdown = planMarkdown({ environment, plan: reviewed.plan, stack: readStack(stackDir), baseStack, mode: reviewed.mode });
  if (values.out) {
    fs.writeFileSync(values.out, markdown);
    process.stderr.write(`${environment}: plan review written to ${values.out}\n`);
  } else {
    process.stdout.write(markdown);
  }
  const counts = countChanges(plannedChanges(reviewed.plan));
  if (values['fail-on-destroy'] && counts.destroy + counts.replace > 0) {
    process.stderr.write(`${environment}: ${counts.destroy} to destroy, ${counts.replace} to replace (--fail-on-destroy)\n`);
    process.exitCode = DESTROY_EXIT_CODE;
  }
}

main().catch(exitOnError);
