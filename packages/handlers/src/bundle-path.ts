import * as path from 'node:path';
import type { FunctionKind } from '@lean-ops/contracts';

/** Absolute path of a handler's bundle written by `nx run handlers:build` (dist/<kind>/index.js, export `handler`). */
export function bundlePath(kind: FunctionKind): string {
  return path.resolve(__dirname, '..', 'dist', kind, 'index.js');
}

/** The directory ComputeModule zips for a handler. */
export function bundleDir(kind: FunctionKind): string {
  return path.dirname(bundlePath(kind));
}

/** Lambda `handler` setting for every bundle. */
export const BUNDLE_HANDLER = 'index.handler';
