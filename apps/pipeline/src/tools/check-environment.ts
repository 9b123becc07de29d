import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { offlineStack } from './offline-stack';
import { countChanges, plannedChanges, summaryLine, type ChangeCounts, type PlanJson } from './plan-summary';
import { offlineEnv, requiredProviders, runTerraform, type ProviderRequirement, type RunResult } from './terraform';

export interface TerraformContext {
  bin: string;
  version: string;
  mirrorDir: string;
  /** `.lean-ops/terraform`: one work directory per environment, kept between runs. */
  workRoot: string;
  /** CLI configuration installing providers from the mirror only (see cliConfig). */
  cliConfigFile: string;
}

export type Stage = 'init' | 'validate' | 'plan' | 'show';

export interface EnvironmentCheck {
  environment: string;
  ok: boolean;
  /** The stage that failed. */
  failedAt?: Stage;
  /** Error lines (terraform diagnostics) of the failed stage. */
  errors: string[];
  warnings: string[];
  counts?: ChangeCounts;
  /** `terraform show -json` of the plan. */
  planJsonFile?: string;
  /** Init is skipped when providers, backend and mirror are unchanged since the last run. */
  initSkipped: boolean;
  /** Nothing ran: the stack, Terraform and mirror are those of the last successful check. */
  cached: boolean;
  ms: Partial<Record<Stage, number>>;
}

/** Files of a work directory that survive a refresh: the initialized providers. */
const KEEP = new Set(['.terraform', '.terraform.lock.hcl', '.init-stamp']);
export const PLAN_JSON = 'plan.json';
/** What the last successful check was made from, and its warnings (`{ hash, terraform, warnings }`). */
export const PLAN_SOURCE = '.plan-source';
export const workDirOf = (workRoot: string, environment: string) => path.join(workRoot, environment);
export const stackFileOf = (stackDir: string) => path.join(stackDir, 'cdk.tf.json');

export function readStack(stackDir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(stackFileOf(stackDir), 'utf8')) as Record<string, unknown>;
}

/** Write the offline copy (and the stack's assets, which plans hash) into the work directory. */
export function prepareWorkDir(stackDir: string, workDir: string): { stack: Record<string, unknown>; providers: ProviderRequirement[] } {
  fs.mkdirSync(workDir, { recursive: true });
  for (const entry of fs.readdirSync(workDir)) {
    if (!KEEP.has(entry)) fs.rmSync(path.join(workDir, entry), { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(stackDir)) {
    if (entry === 'cdk.tf.json' || entry.startsWith('.terraform') || entry.endsWith('.tfstate') || entry.endsWith('.tfplan')) continue;
    fs.cpSync(path.join(stackDir, entry), path.join(workDir, entry), { recursive: true });
  }
  const stack = offlineStack(readStack(stackDir));
  fs.writeFileSync(stackFileOf(workDir), `${JSON.stringify(stack, null, 2)}\n`);
  return { stack, providers: requiredProviders(stack) };
}

interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
  snippet?: { context?: string | null };
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.address ?? d.snippet?.context ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : undefined);
  const detail = d.detail ? `: ${d.detail.replace(/\s+/g, ' ').trim()}` : '';
  return `${d.severity}: ${d.summary}${where ? ` [${where}]` : ''}${detail}`;
}

/** Terraform's human output, minus box-drawing, blank lines and duplicates. */
export function outputLines(text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd())
    .filter((l) => l.trim() !== '');
  return [...new Set(lines)];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Identity of a synthesized stack as Terraform sees it (asset paths in it carry their content hash). */
export const stackHash = (stackDir: string) => sha256(JSON.stringify(offlineStack(readStack(stackDir))));

interface PlanSource {
  hash: string;
  /** Terraform version and mirror the plan was made with. */
  terraform: string;
  warnings: string[];
}

function readPlanSource(workDir: string): PlanSource | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(workDir, PLAN_SOURCE), 'utf8')) as PlanSource;
  } catch {
    return undefined;
  }
}

/** The plan.json of the last check, if it was made from exactly this stack (for any Terraform). */
export function reusablePlan(stackDir: string, workDir: string): string | undefined {
  const planJsonFile = path.join(workDir, PLAN_JSON);
  const source = readPlanSource(workDir);
  return source && fs.existsSync(planJsonFile) && source.hash === stackHash(stackDir) ? planJsonFile : undefined;
}

const countsOf = (planJsonFile: string) => countChanges(plannedChanges(JSON.parse(fs.readFileSync(planJsonFile, 'utf8')) as PlanJson));

export interface CheckOptions {
  /** Run terraform even when the stack, Terraform and mirror are unchanged since the last successful check. */
  force?: boolean;
}

/**
 * `terraform init` of a prepared work directory, skipped when what it installs could not differ:
 * providers, modules, backend, mirror and terraform are those of the last successful init.
 */
export async function initWorkDir(
  workDir: string,
  stack: Record<string, unknown>,
  providers: ProviderRequirement[],
  ctx: Pick<TerraformContext, 'mirrorDir' | 'version'>,
  tf: (args: string[]) => Promise<RunResult>,
): Promise<{ skipped: boolean; ms?: number; errors?: string[] }> {
  const tfBlock = stack.terraform as Record<string, unknown>;
  const stamp = sha256(JSON.stringify([providers, stack.module ?? null, tfBlock.backend, ctx.mirrorDir, ctx.version]));
  const stampFile = path.join(workDir, '.init-stamp');
  const initialized = fs.existsSync(path.join(workDir, '.terraform')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (initialized) return { skipped: true };
  // The lock file pins what the previous init installed; a changed requirement starts from scratch.
  fs.rmSync(path.join(workDir, '.terraform.lock.hcl'), { force: true });
  const init = await tf(['init', '-input=false', '-no-color']);
  if (init.code !== 0) return { skipped: false, ms: init.ms, errors: outputLines(init.stderr || init.stdout) };
  fs.writeFileSync(stampFile, stamp);
  return { skipped: false, ms: init.ms };
}

/** Offline `terraform init`, `validate -json`, `plan` and `show -json` for one synthesized stack. */
export async function checkEnvironment(environment: string, stackDir: string, ctx: TerraformContext, options: CheckOptions = {}): Promise<EnvironmentCheck> {
  const result: EnvironmentCheck = { environment, ok: false, errors: [], warnings: [], initSkipped: false, cached: false, ms: {} };
  const workDir = workDirOf(ctx.workRoot, environment);
  const terraform = `${ctx.version} ${ctx.mirrorDir}`;

  // Same configuration, same provider, no state: Terraform would give the same answer again.
  const planJson = reusablePlan(stackDir, workDir);
  const last = readPlanSource(workDir);
  if (!options.force && planJson && last?.terraform === terraform) {
    return { ...result, ok: true, cached: true, initSkipped: true, warnings: last.warnings, counts: countsOf(planJson), planJsonFile: planJson };
  }
  const { stack, providers } = prepareWorkDir(stackDir, workDir);
  const env = offlineEnv(ctx.cliConfigFile);
  const tf = (args: string[]) => runTerraform(ctx.bin, args, workDir, env);
  const fail = (stage: Stage, errors: string[]) => ({ ...result, failedAt: stage, errors });

  const init = await initWorkDir(workDir, stack, providers, ctx, tf);
  result.initSkipped = init.skipped;
  if (init.ms !== undefined) result.ms.init = init.ms;
  if (init.errors) return fail('init', init.errors);

  const validate = await tf(['validate', '-json', '-no-color']);
  result.ms.validate = validate.ms;
  let report: { valid: boolean; diagnostics?: Diagnostic[] };
  try {
    report = JSON.parse(validate.stdout) as typeof report;
  } catch {
    return fail('validate', outputLines(validate.stderr || validate.stdout));
  }
  const diagnostics = report.diagnostics ?? [];
  result.warnings = [...new Set(diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic))];
  if (!report.valid) return fail('validate', diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic));

  const planFile = `${environment}.tfplan`;
  const plan = await tf(['plan', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`]);
  result.ms.plan = plan.ms;
  if (plan.code !== 0) return fail('plan', outputLines(plan.stderr || plan.stdout));

  const show = await tf(['show', '-json', '-no-color', planFile]);
  result.ms.show = show.ms;
  if (show.code !== 0) return fail('show', outputLines(show.stderr || show.stdout));
  const planJsonFile = path.join(workDir, PLAN_JSON);
  fs.writeFileSync(planJsonFile, show.stdout);
  const source: PlanSource = { hash: sha256(JSON.stringify(stack)), terraform, warnings: result.warnings };
  fs.writeFileSync(path.join(workDir, PLAN_SOURCE), JSON.stringify(source));
  return { ...result, ok: true, counts: countsOf(planJsonFile), planJsonFile };
}

/** `dev: valid, plan 57 to add`, or the failed stage followed by its diagnostics, indented. */
export function reportLines(check: EnvironmentCheck): string[] {
  if (check.ok && check.counts) {
    const cached = check.cached ? ' (unchanged since the last check)' : '';
    return [`${check.environment}: valid, ${summaryLine(check.counts)}${cached}`, ...check.warnings.map((w) => `  ${w}`)];
  }
  const head: Record<Stage, string> = {
    init: 'terraform init failed',
    validate: 'invalid',
    plan: 'valid, plan failed',
    show: 'valid, plan could not be read',
  };
  return [`${check.environment}: ${head[check.failedAt ?? 'plan']}`, ...check.errors.map((e) => `  ${e}`), ...check.warnings.map((w) => `  ${w}`)];
}
