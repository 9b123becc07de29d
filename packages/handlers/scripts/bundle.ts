import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_KINDS } from '@lean-ops/contracts';
import { bundlePath } from '../src/bundle-path';
import { staticNodeHttp } from './static-node-http';

const root = path.resolve(__dirname, '..');

/**
 * One self-contained CommonJS bundle per handler. The AWS SDK is bundled, not taken from the runtime: the
 * version is then the one tested, and tree-shaking keeps only the commands used.
 */
async function main(): Promise<void> {
  const rows: string[] = [];
  for (const kind of FUNCTION_KINDS) {
    const outfile = bundlePath(kind);
    fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
    const result = await build({
      entryPoints: [path.join(root, 'src', kind, 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Prefer ES modules where packages ship them: better tree-shaking of the SDK.
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: true,
      metafile: true,
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [staticNodeHttp],
    });
    const bytes = fs.statSync(outfile).size;
    const inputs = Object.keys(result.metafile.inputs).length;
    rows.push(`${kind.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB  ${String(inputs).padStart(5)} inputs  ${path.relative(process.cwd(), outfile)}`);
  }
  console.log(rows.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
