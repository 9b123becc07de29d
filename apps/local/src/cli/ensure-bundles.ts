import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTION_KINDS } from '@lean-ops/contracts';
import { bundlePath } from '@lean-ops/handlers';
import { REPO_ROOT } from '../stack/repo-root';

export { REPO_ROOT };

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Bundles missing, or older than the handler and contract sources they are built from. */
export function bundlesNeedBuild(root = REPO_ROOT): boolean {
  const sources = ['packages/handlers/src', 'packages/contracts/src'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const newestSource = Math.max(0, ...sources.map(newestMtime));
  return FUNCTION_KINDS.some((kind) => {
    const file = bundlePath(kind);
    return !fs.existsSync(file) || fs.statSync(file).mtimeMs < newestSource;
  });
}

/** Builds the handler bundles (esbuild) when missing or stale, so a fresh clone runs with `npm install && npm start`. */
export function ensureBundles(log: (line: string) => void, root = REPO_ROOT): void {
  if (!bundlesNeedBuild(root)) return;
  log('building the handler bundles (packages/handlers/scripts/bundle.ts) ...');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'packages/handlers/scripts/bundle.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the handler bundles failed:\n${r.stderr || r.stdout}`);
  log(r.stdout.trim());
}
