import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Manifest } from 'cdktf';
import { synthesize } from '../app';
import { checkEnvironment, readStack, type CheckOptions, type EnvironmentCheck, type TerraformContext } from './check-environment';
import { ensureDefaultBundles } from './ensure-bundles';
import type { PipelinePaths } from './paths';
import { cliConfig, findProviderMirror, findTerraform, requiredProviders, type ProviderRequirement } from './terraform';

/** A missing tool or mirror: the message says what is missing and how to install it. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** `.lean-ops/terraform`: one work directory per environment, kept between runs (gitignored). */
export const terraformWorkRoot = (paths: PipelinePaths) => path.join(paths.workDir, 'terraform');

export const stackDirOf = (paths: PipelinePaths, environment: string) => path.join(paths.outdir, Manifest.stacksFolder, environment);

export function requireTerraform(): { bin: string; version: string; platform: string } {
  const terraform = findTerraform();
  if (!terraform.ok) throw new ToolError(terraform.message);
  return terraform;
}

/** Terraform and a provider mirror holding what the stacks require, or a ToolError. */
export function terraformContext(paths: PipelinePaths, stackDirs: string[]): TerraformContext {
  const terraform = requireTerraform();
  const providers = new Map<string, ProviderRequirement>();
  for (const dir of stackDirs) for (const p of requiredProviders(readStack(dir))) providers.set(`${p.source}@${p.version ?? ''}`, p);
  const mirror = findProviderMirror([...providers.values()], terraform.platform);
  if (!mirror.ok) throw new ToolError(mirror.message);
  const workRoot = terraformWorkRoot(paths);
  const cliConfigFile = path.join(workRoot, 'terraform.rc');
  fs.mkdirSync(workRoot, { recursive: true });
  fs.writeFileSync(cliConfigFile, cliConfig(mirror.dir, [...providers.values()]));
  return { bin: terraform.bin, version: terraform.version, mirrorDir: mirror.dir, workRoot, cliConfigFile };
}

export interface SynthResult {
  environments: string[];
  synthMs: number;
}

export async function synthAll(paths: PipelinePaths, only?: string[]): Promise<SynthResult> {
  const started = Date.now();
  ensureDefaultBundles(paths, process.env, (line) => console.log(line));
  const environments = await synthesize({ outdir: paths.outdir, environmentsDir: paths.environmentsDir, bundleRoot: paths.bundleRoot, only });
  for (const e of environments) {
    if (!fs.existsSync(path.join(stackDirOf(paths, e), 'cdk.tf.json'))) throw new Error(`synth wrote no ${e}/cdk.tf.json`);
  }
  return { environments, synthMs: Date.now() - started };
}

/**
 * Each check loads the AWS provider (~300 MB, schema decoding) and waits on its plugin process: two at a
 * time measured 27 s against 35 s one at a time for three stacks on 2 cores; more gained nothing.
 */
export const defaultConcurrency = () => Math.min(2, os.availableParallelism());

export async function checkAll(
  paths: PipelinePaths,
  environments: string[],
  ctx: TerraformContext,
  options: CheckOptions & { concurrency?: number; onCheck?: (check: EnvironmentCheck) => void } = {},
): Promise<EnvironmentCheck[]> {
  const checks = new Map<string, EnvironmentCheck>();
  const queue = [...environments];
  const worker = async () => {
    for (let environment = queue.shift(); environment !== undefined; environment = queue.shift()) {
      const check = await checkEnvironment(environment, stackDirOf(paths, environment), ctx, options);
      options.onCheck?.(check);
      checks.set(environment, check);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? defaultConcurrency(), environments.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return environments.map((e) => checks.get(e)!);
}
