import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStackJson, StackFileError, type TerraformJson } from './terraform-json';

export interface PlanSource {
  json: TerraformJson;
  /** Directory of the stack file: asset paths (`assets/...`) are relative to it. */
  stackDir: string;
  stackFile: string;
}

export interface PlanSourceOptions {
  /** A synthesized `cdk.tf.json` to run as it is. */
  stackFile?: string;
  /** Otherwise: the environment file to synthesize (every file beside it is validated, as `cdktf synth` does). */
  envFile: string;
  /** Where the synthesis goes (`<outdir>/stacks/<env>/cdk.tf.json`). */
  outdir: string;
  /** Handler bundles the stack packages; default packages/handlers/dist. */
  bundleRoot?: string;
}

/**
 * The Terraform the local stack runs: the given stack file, or the environment synthesized by the same app
 * `cdktf synth` runs (apps/pipeline), so that what passes locally is what `cdktf deploy` applies.
 */
export async function loadPlanSource(opts: PlanSourceOptions): Promise<PlanSource> {
  if (opts.stackFile) {
    const stackFile = path.resolve(opts.stackFile);
    return { json: readStackJson(stackFile), stackDir: path.dirname(stackFile), stackFile };
  }
  const environment = path.basename(opts.envFile).replace(/\.tfvars$/, '');
  // Loaded on demand: the provider bindings take a few seconds to load.
  const { synthesize } = await import('@lean-ops/pipeline/src/app');
  const { pipelinePaths } = await import('@lean-ops/pipeline/src/tools/paths');
  await synthesize({
    outdir: opts.outdir,
    environmentsDir: path.dirname(path.resolve(opts.envFile)),
    bundleRoot: opts.bundleRoot ?? pipelinePaths().bundleRoot,
    only: [environment],
  });
  const stackFile = path.join(opts.outdir, 'stacks', environment, 'cdk.tf.json');
  if (!fs.existsSync(stackFile)) throw new StackFileError(`synthesizing ${opts.envFile} wrote no ${stackFile}`);
  return { json: readStackJson(stackFile), stackDir: path.dirname(stackFile), stackFile };
}
