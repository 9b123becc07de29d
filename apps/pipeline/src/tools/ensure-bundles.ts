import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTION_KINDS } from '@lean-ops/contracts';
import { PATH_ENV, REPO_ROOT } from './paths';

/** What the handler bundles are built from: their sources, the bundle script and the locked dependency versions. */
export const BUNDLE_SOURCES = ['packages/handlers/src', 'packages/contracts/src', 'packages/handlers/scripts/bundle.ts', 'package-lock.json'];
/** Written beside the bundles after a build: the hash of the sources they were built from. */
export const SOURCE_HASH_FILE = '.source-hash';

const isSource = (name: string) => (name.endsWith('.ts') && !name.endsWith('.spec.ts')) || name === 'package-lock.json';

/** SHA-256 over the names and contents of every bundle source, in a fixed order (file times play no part). */
export function bundleSourcesHash(repoRoot: string): string {
  const hash = createHash('sha256');
  const visit = (rel: string) => {
    const abs = path.join(repoRoot, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) visit(path.posix.join(rel, name));
    } else if (isSource(path.basename(rel))) {
      hash.update(`${rel}\0`).update(fs.readFileSync(abs)).update('\0');
    }
  };
  for (const rel of BUNDLE_SOURCES) visit(rel);
  return hash.digest('hex');
}

/** Why the bundles under `bundleRoot` must be (re)built, or null when they match their sources. */
export function bundlesStale(bundleRoot: string, sourcesHash: string): string | null {
  const missing = FUNCTION_KINDS.filter((k) => !fs.existsSync(path.join(bundleRoot, k, 'index.js')));
  if (missing.length > 0) return `missing: ${missing.join(', ')}`;
  const stampFile = path.join(bundleRoot, SOURCE_HASH_FILE);
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
  if (stamp === '') return 'built from unknown sources';
  return stamp === sourcesHash ? null : 'sources changed since the last build';
}

export interface EnsureBundlesOptions {
  repoRoot: string;
  bundleRoot: string;
  log: (line: string) => void;
  /** Builds the bundles into bundleRoot; default: the handlers' esbuild script. */
  build?: () => void;
}

/**
 * Builds the handler bundles when they are missing or stale, so `cdktf synth | diff | deploy` work right after
 * `npm install`. Returns whether it built. Unchanged sources give the same bundles, so the same zips.
 */
export function ensureBundles(o: EnsureBundlesOptions): boolean {
  const sources = bundleSourcesHash(o.repoRoot);
  const reason = bundlesStale(o.bundleRoot, sources);
  if (reason === null) return false;
  o.log(`building the handler bundles (${reason}) ...`);
  (o.build ?? (() => runBundleScript(o.repoRoot)))();
  const still = FUNCTION_KINDS.filter((k) => !fs.existsSync(path.join(o.bundleRoot, k, 'index.js')));
  if (still.length > 0) throw new Error(`the handler build wrote no bundle for ${still.join(', ')} under ${o.bundleRoot}`);
  fs.writeFileSync(path.join(o.bundleRoot, SOURCE_HASH_FILE), `${sources}\n`);
  return true;
}

function runBundleScript(repoRoot: string): void {
  const script = path.join(repoRoot, 'packages/handlers/scripts/bundle.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`building the handler bundles failed (npx nx run handlers:build):\n${r.stderr || r.stdout}`);
}

/** The default bundles (packages/handlers/dist) are built when needed; bundles chosen with LEAN_OPS_BUNDLE_ROOT are used as they are. */
export function ensureDefaultBundles(paths: { bundleRoot: string }, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  if (env[PATH_ENV.bundleRoot]) return;
  ensureBundles({ repoRoot: REPO_ROOT, bundleRoot: paths.bundleRoot, log });
}
