import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Manifest } from 'cdktf';
import { ConfigError, loadEnvironments } from '@lean-ops/config';

export interface SynthesizeOptions {
  /** cdktf output directory (`cdktf.out`); stacks go to `<outdir>/stacks/<env>/cdk.tf.json`. */
  outdir: string;
  /** Directory of `<env>.tfvars` files; every file is one stack. */
  environmentsDir: string;
  /** Absolute path of the handler bundles (`packages/handlers/dist`, one directory per handler). */
  bundleRoot: string;
  /** Build only these environments (all files are still validated). */
  only?: string[];
}

/**
 * Validate every environment file, then synthesize one stack per environment, named by it.
 * Nothing is written unless every file is valid; a failed synth also removes previously written
 * stacks, so a later `cdktf deploy` can never pick up a stale one. Returns the stack names.
 */
export async function synthesize(opts: SynthesizeOptions): Promise<string[]> {
  try {
    const { configs, problems } = await loadEnvironments(opts.environmentsDir);
    const unknown = (opts.only ?? []).filter((e) => !configs.some((c) => c.environment === e));
    if (problems.length > 0) throw new ConfigError(problems);
    if (unknown.length > 0) throw new ConfigError(unknown.map((e) => `${e}: no environments/${e}.tfvars`));
    if (!fs.existsSync(opts.bundleRoot)) {
      throw new Error(`handler bundles not found at ${opts.bundleRoot}: run \`npx nx run handlers:build\` (or set LEAN_OPS_BUNDLE_ROOT)`);
    }
    const selected = opts.only ? configs.filter((c) => opts.only!.includes(c.environment)) : configs;

    // Loaded only once the files are valid: the provider bindings take seconds to load.
    const { LeanOpsStack } = await import('./stack');
    fs.mkdirSync(opts.outdir, { recursive: true });
    removeOrphanStacks(
      opts.outdir,
      configs.map((c) => c.environment),
    );
    const app = new App({ outdir: opts.outdir, stackTraces: false });
    for (const config of selected) new LeanOpsStack(app, config.environment, { config, bundleRoot: opts.bundleRoot });
    app.synth();
    return selected.map((c) => c.environment);
  } catch (e) {
    removeAllStacks(opts.outdir);
    throw e;
  }
}

const stacksDir = (outdir: string) => path.join(outdir, Manifest.stacksFolder);

function removeAllStacks(outdir: string): void {
  fs.rmSync(stacksDir(outdir), { recursive: true, force: true });
  fs.rmSync(path.join(outdir, Manifest.fileName), { force: true });
}

/** Stacks of environments whose file was deleted (what cdktf-cli does after its own synth). */
function removeOrphanStacks(outdir: string, environments: string[]): void {
  if (!fs.existsSync(stacksDir(outdir))) return;
  for (const entry of fs.readdirSync(stacksDir(outdir))) {
    if (!environments.includes(entry)) fs.rmSync(path.join(stacksDir(outdir), entry), { recursive: true, force: true });
  }
}
