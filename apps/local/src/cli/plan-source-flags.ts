import * as path from 'node:path';
import { REPO_ROOT } from '../stack/repo-root';

/** Which stack to run: an environment file to synthesize, or a synthesized `cdk.tf.json` as it is. */
export interface PlanSource {
  envFile?: string;
  stackFile?: string;
}

export const PLAN_SOURCE_USAGE = `  --env NAME         the environment to synthesize and run: environments/NAME.tfvars (default local)
  --env-file FILE    the same, by file
  --stack FILE       run this synthesized stack (cdk.tf.json) as it is; --env names its environment`;

const ENV_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** `--env`, `--env-file` and `--stack` as every command takes them (run, serve, chaos, bench). */
export function planSourceOf(flags: { env?: string; envFile?: string; stack?: string }): { ok: true; source: PlanSource } | { ok: false; error: string } {
  if (flags.env !== undefined && flags.envFile !== undefined) return { ok: false, error: '--env and --env-file name the same thing: give one' };
  if (flags.env !== undefined && !ENV_NAME.test(flags.env)) return { ok: false, error: `--env must be an environment name such as local or dev, got "${flags.env}"` };
  const envFile = flags.env !== undefined ? path.join(REPO_ROOT, 'environments', `${flags.env}.tfvars`) : flags.envFile;
  return { ok: true, source: { ...(envFile ? { envFile: path.resolve(envFile) } : {}), ...(flags.stack ? { stackFile: path.resolve(flags.stack) } : {}) } };
}
