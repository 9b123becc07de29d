import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironment, outputLines, readStack, reportLines, reusablePlan, workDirOf, type TerraformContext } from './check-environment';
import { ToolError } from './offline-checks';
import type { ReviewMode } from './plan-markdown';
import { synthesizeRef } from './plan-review-base';
import { buildBaseState, placeholderContext, planOffline, type ReviewPlan } from './plan-review-terraform';
import { runTerraform } from './terraform';

export interface ReviewedPlan {
  plan: ReviewPlan;
  mode: ReviewMode;
  /** Plans it took to build the base state (base mode; 0 when reused). */
  basePasses?: number;
  /** The base's synthesized stack (base mode, when the base has the environment). */
  baseStackDir?: string;
}

/** `.lean-ops/plan-review/<env>`: the base's synth, the plan work directory and the cached base state. */
export const reviewDirOf = (workDir: string, environment: string) => path.join(workDir, 'plan-review', environment);

/** The offline plan against an empty state: the one `npm run validate` made, when the stack is unchanged. */
export async function planAgainstEmptyState(ctx: TerraformContext, environment: string, stackDir: string): Promise<ReviewedPlan> {
  let planJsonFile = reusablePlan(stackDir, workDirOf(ctx.workRoot, environment));
  if (!planJsonFile) {
    const check = await checkEnvironment(environment, stackDir, ctx);
    if (!check.ok || !check.planJsonFile) throw new ToolError(reportLines(check).join('\n'));
    planJsonFile = check.planJsonFile;
  }
  return { plan: JSON.parse(fs.readFileSync(planJsonFile, 'utf8')) as ReviewPlan, mode: { kind: 'empty-state' } };
}

export interface BaseReview {
  repoDir: string;
  ref: string;
  environment: string;
  headStackDir: string;
  /** The head's handler bundles (`packages/handlers/dist`): identical base bundles take their file times. */
  headBundles: string;
  reviewDir: string;
}

/** The head planned against the state the base ref would have deployed (see plan-review-state.ts). */
export async function planAgainstBase(ctx: TerraformContext, r: BaseReview): Promise<ReviewedPlan> {
  const base = synthesizeRef(r.repoDir, r.ref, r.environment, path.join(r.reviewDir, 'base-out'), r.headBundles);
  const workDir = path.join(r.reviewDir, 'plan');
  const mode: ReviewMode = { kind: 'base-ref', ref: r.ref, commit: base.commit, baseHasEnvironment: base.stackDir !== undefined };
  if (!base.stackDir) return { plan: await planOffline(ctx, r.headStackDir, workDir), mode, basePasses: 0 };
  const { state, passes } = await buildBaseState(ctx, base.stackDir, workDir, placeholderContext(readStack(base.stackDir)));
  return { plan: await planOffline(ctx, r.headStackDir, workDir, state), mode, basePasses: passes, baseStackDir: base.stackDir };
}

/**
 * The head planned against the real state: the stack as synthesized (S3 backend, account checks), credentials
 * from the environment (a read-only role), `-lock=false` so a reviewer never holds or writes the state lock.
 */
export async function planAgainstRealState(ctx: TerraformContext, stackDir: string, workDir: string): Promise<ReviewedPlan> {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.cpSync(stackDir, workDir, { recursive: true, filter: (src) => !path.basename(src).startsWith('.terraform') && !src.endsWith('.tfstate') });
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: ctx.cliConfigFile, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const tf = async (args: string[]) => {
    const r = await runTerraform(ctx.bin, args, workDir, env);
    if (r.code !== 0) throw new ToolError([`terraform ${args[0]} failed (real state):`, ...outputLines(r.stderr || r.stdout).map((l) => `  ${l}`)].join('\n'));
    return r.stdout;
  };
  await tf(['init', '-input=false', '-lock=false', '-no-color']);
  await tf(['plan', '-input=false', '-lock=false', '-no-color', '-out=review.tfplan']);
  return { plan: JSON.parse(await tf(['show', '-json', '-no-color', 'review.tfplan'])) as ReviewPlan, mode: { kind: 'real-state' } };
}
