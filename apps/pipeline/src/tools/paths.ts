import * as path from 'node:path';

/** The workspace root (this file is apps/pipeline/src/tools/paths.ts). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Overrides for running against other inputs (tests, CI caches). */
export const PATH_ENV = {
  environmentsDir: 'LEAN_OPS_ENVIRONMENTS_DIR',
  bundleRoot: 'LEAN_OPS_BUNDLE_ROOT',
  workDir: 'LEAN_OPS_WORK_DIR',
} as const;

export interface PipelinePaths {
  /** `environments/`: one `<env>.tfvars` per stack. */
  environmentsDir: string;
  /** `packages/handlers/dist`: one directory per handler bundle. */
  bundleRoot: string;
  /** Where `cdktf synth` writes (`cdktf.out`). */
  outdir: string;
  /** Scratch space for offline Terraform runs (`.lean-ops/`, gitignored). */
  workDir: string;
}

export function pipelinePaths(env: NodeJS.ProcessEnv = process.env): PipelinePaths {
  const fromEnv = (name: string, fallback: string) => (env[name] ? path.resolve(env[name] as string) : fallback);
  return {
    environmentsDir: fromEnv(PATH_ENV.environmentsDir, path.join(REPO_ROOT, 'environments')),
    bundleRoot: fromEnv(PATH_ENV.bundleRoot, path.join(REPO_ROOT, 'packages/handlers/dist')),
    // cdktf-cli passes CDKTF_OUTDIR relative to the directory it runs the app in.
    outdir: fromEnv('CDKTF_OUTDIR', path.join(REPO_ROOT, 'cdktf.out')),
    workDir: fromEnv(PATH_ENV.workDir, path.join(REPO_ROOT, '.lean-ops')),
  };
}
