import { ConfigError } from '@lean-ops/config';
import { synthesize } from './app';
import { ensureDefaultBundles } from './tools/ensure-bundles';
import { pipelinePaths } from './tools/paths';

/** The cdktf app (`cdktf.json`: `npx tsx apps/pipeline/src/main.ts`); cdktf-cli sets CDKTF_OUTDIR. */
async function main(): Promise<void> {
  const paths = pipelinePaths();
  // `cdktf synth | diff | deploy` on a fresh clone: build missing or stale handler bundles first (stdout is cdktf's).
  ensureDefaultBundles(paths, process.env, (line) => process.stderr.write(`${line}\n`));
  await synthesize({ outdir: paths.outdir, environmentsDir: paths.environmentsDir, bundleRoot: paths.bundleRoot });
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    for (const line of e.problems) process.stderr.write(`${line}\n`);
  } else {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exit(1);
});
