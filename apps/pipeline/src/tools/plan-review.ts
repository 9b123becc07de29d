import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { PlanJson } from './plan-summary';
import { checkEnvironment, readStack, reportLines, reusablePlan, workDirOf } from './check-environment';
import { exitOnError } from './cli-errors';
import { stackDirOf, synthAll, terraformContext, terraformWorkRoot, ToolError } from './offline-checks';
import { pipelinePaths } from './paths';
import { planMarkdown } from './plan-markdown';

const USAGE = 'usage: npm run plan:review -- --env <env> [--out plan.md]';

/**
 * `npm run plan:review -- --env dev [--out plan.md]`: the Markdown summary of an environment's offline plan,
 * for a pull-request comment. Reuses the plan of the last `npm run validate` when the stack is unchanged.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.env) {
    if (!values.help) process.exitCode = 2;
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return;
  }
  const environment = values.env;
  const paths = pipelinePaths();
  await synthAll(paths, [environment]);
  const stackDir = stackDirOf(paths, environment);

  let planJsonFile = reusablePlan(stackDir, workDirOf(terraformWorkRoot(paths), environment));
  if (!planJsonFile) {
    const check = await checkEnvironment(environment, stackDir, terraformContext(paths, [stackDir]));
    if (!check.ok || !check.planJsonFile) throw new ToolError(reportLines(check).join('\n'));
    planJsonFile = check.planJsonFile;
  }
  const markdown = planMarkdown({ environment, plan: JSON.parse(fs.readFileSync(planJsonFile, 'utf8')) as PlanJson, stack: readStack(stackDir) });
  if (values.out) {
    fs.writeFileSync(values.out, markdown);
    process.stderr.write(`${environment}: plan review written to ${values.out}\n`);
  } else {
    process.stdout.write(markdown);
  }
}

main().catch(exitOnError);
