import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initWorkDir, outputLines, prepareWorkDir, stackHash, type TerraformContext } from './check-environment';
import { ToolError } from './offline-checks';
import { OFFLINE_STATE_FILE } from './offline-stack';
import type { PlanJson } from './plan-summary';
import { planIsSettled, stateFromPlan, type PlaceholderContext, type PlanForState, type ProviderSchemas, type StateV4 } from './plan-review-state';
import { offlineEnv, runTerraform } from './terraform';

export type ReviewPlan = PlanJson & PlanForState;

const PLAN_FILE = 'review.tfplan';

/** Run one terraform command in a work directory; a failure becomes a ToolError with terraform's own lines. */
async function tfOrThrow(ctx: TerraformContext, workDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runTerraform(ctx.bin, args, workDir, env);
  if (r.code !== 0) throw new ToolError([`terraform ${args[0]} failed in ${workDir}:`, ...outputLines(r.stderr || r.stdout).map((l) => `  ${l}`)].join('\n'));
  return r.stdout;
}

/**
 * Offline plan of a synthesized stack against a given state (none: an empty one), without refreshing: the provider
 * compares configuration with the state alone, so no AWS call is made.
 */
export async function planOffline(ctx: TerraformContext, stackDir: string, workDir: string, state?: StateV4): Promise<ReviewPlan> {
  const { stack, providers } = prepareWorkDir(stackDir, workDir);
  const env = offlineEnv(ctx.cliConfigFile);
  const init = await initWorkDir(workDir, stack, providers, ctx, (args) => runTerraform(ctx.bin, args, workDir, env));
  if (init.errors) throw new ToolError([`terraform init failed in ${workDir}:`, ...init.errors.map((l) => `  ${l}`)].join('\n'));
  if (state) fs.writeFileSync(path.join(workDir, OFFLINE_STATE_FILE), JSON.stringify(state));
  await tfOrThrow(ctx, workDir, ['plan', '-input=false', '-lock=false', '-refresh=false', '-no-color', `-out=${PLAN_FILE}`], env);
  return JSON.parse(await tfOrThrow(ctx, workDir, ['show', '-json', '-no-color', PLAN_FILE], env)) as ReviewPlan;
}

/** The provider's resource schemas (versions and attribute types), from an initialized work directory. */
export async function providerSchemas(ctx: TerraformContext, workDir: string): Promise<ProviderSchemas> {
  const out = await tfOrThrow(ctx, workDir, ['providers', 'schema', '-json'], offlineEnv(ctx.cliConfigFile));
  return JSON.parse(out) as ProviderSchemas;
}

/** Region and account of a synthesized stack's AWS provider, for placeholders that look like the real thing. */
export function placeholderContext(stack: Record<string, unknown>): PlaceholderContext {
  const aws = (stack.provider as { aws?: unknown } | undefined)?.aws;
  const config = (Array.isArray(aws) ? aws[0] : aws) as { region?: string; allowed_account_ids?: string[] } | undefined;
  return { region: config?.region ?? 'us-east-1', account: config?.allowed_account_ids?.[0] ?? '000000000000' };
}

/** Passes of "plan the base against its own state" before giving up; each resolves one level of references. */
export const MAX_SETTLE_PASSES = 6;

export interface BaseState {
  state: StateV4;
  /** Plans it took (0: reused from the last run for the same base stack and terraform). */
  passes: number;
}

/** The bytes of a stack's assets: a plan hashes the archives (`filebase64sha256`), not just their paths. */
function assetsHash(stackDir: string): string {
  const hash = createHash('sha256');
  const dir = path.join(stackDir, 'assets');
  if (!fs.existsSync(dir)) return '';
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

interface CachedBaseState {
  key: string;
  state: StateV4;
}

/**
 * The state the base stack would have once deployed: plan it from empty, write the planned values as a state, and
 * plan it again against that state until Terraform reports no change. Cached per base stack, terraform and mirror.
 */
export async function buildBaseState(ctx: TerraformContext, baseStackDir: string, workDir: string, where: PlaceholderContext): Promise<BaseState> {
  const cacheFile = path.join(workDir, '..', 'base-state.json');
  const key = `${stackHash(baseStackDir)} ${assetsHash(baseStackDir)} ${ctx.version} ${ctx.mirrorDir}`;
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CachedBaseState;
    if (cached.key === key) return { state: cached.state, passes: 0 };
  } catch {
    // no cache yet
  }
  let plan = await planOffline(ctx, baseStackDir, workDir);
  const schemas = await providerSchemas(ctx, workDir);
  let state = stateFromPlan(plan, schemas, where, 1);
  for (let pass = 2; pass <= MAX_SETTLE_PASSES + 1; pass++) {
    plan = await planOffline(ctx, baseStackDir, workDir, state);
    if (planIsSettled(plan)) {
      fs.writeFileSync(cacheFile, JSON.stringify({ key, state } satisfies CachedBaseState));
      return { state, passes: pass };
    }
    state = stateFromPlan(plan, schemas, where, pass);
  }
  const moving = (plan.resource_changes ?? []).filter((rc) => rc.change.actions.some((a) => a !== 'no-op' && a !== 'read')).map((rc) => rc.address);
  throw new ToolError(`the base state did not settle after ${MAX_SETTLE_PASSES} passes; still changing: ${moving.join(', ')}`);
}
