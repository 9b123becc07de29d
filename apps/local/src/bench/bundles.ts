import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { FUNCTION_KINDS, type FunctionKind } from '@lean-ops/contracts';
import { bundlePath } from '@lean-ops/handlers';

export interface BundleFigures {
  bytes: number;
  /** Median ms a fresh node takes to load the bundle (Lambda's init phase, minus the runtime's own start). */
  coldInitMs: number;
}

/** Loads the file in a fresh node and reports how long `require` took, in ms. */
export function coldInitOnce(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' } });
  if (r.status !== 0) throw new Error(`loading ${file} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return Number(r.stdout);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN; // no samples: no median
}

export function measureBundle(file: string, runs: number): BundleFigures {
  const times = Array.from({ length: runs }, () => coldInitOnce(file));
  return { bytes: fs.statSync(file).size, coldInitMs: Math.round(median(times) * 10) / 10 };
}

/** Every handler bundle from `nx run handlers:build`; a missing one is an error that says how to build it. */
export function measureBundles(runs = 5, pathOf: (kind: FunctionKind) => string = bundlePath): Record<FunctionKind, BundleFigures> {
  const out = {} as Record<FunctionKind, BundleFigures>;
  for (const kind of FUNCTION_KINDS) {
    const file = pathOf(kind);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx nx run handlers:build\``);
    out[kind] = measureBundle(file, runs);
  }
  return out;
}
