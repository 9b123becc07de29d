import * as path from 'node:path';

/** The repository root (apps/local/src/stack -> ../../../..): defaults resolve from here, not from the cwd. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const DEFAULT_ENV_FILE = path.join(REPO_ROOT, 'environments', 'local.tfvars');
