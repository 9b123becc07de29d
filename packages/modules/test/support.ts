import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { FUNCTION_KINDS } from '@lean-ops/contracts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PREFIX = 'lo-test';
export const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000';

export type Attrs = Record<string, any>;
export interface Synth {
  resource: Record<string, Record<string, Attrs>>;
  data?: Record<string, Record<string, Attrs>>;
  output?: Record<string, Attrs>;
  terraform?: Attrs;
  provider?: Attrs;
}

/** Synthesizes what `build` adds to a fresh stack and parses the Terraform JSON. */
export function synth(build: (stack: TerraformStack) => void): Synth {
  return JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack))) as Synth;
}

/** The resources of one type by their Terraform id (none when the stack has no such type). */
export function resources(s: Synth, type: string): Record<string, Attrs> {
  return s.resource[type] ?? {};
}

/** All resources of one type, in construct order. */
export function all(s: Synth, type: string): Attrs[] {
  return Object.values(resources(s, type));
}

/** The single resource of a type (fails when there is not exactly one). */
export function one(s: Synth, type: string): Attrs {
  const found = all(s, type);
  const [only] = found;
  if (!only || found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return only;
}

export function countResources(s: Synth): number {
  return Object.values(s.resource).reduce((n, byId) => n + Object.keys(byId).length, 0);
}

/** A directory with one `<kind>/index.js` bundle per handler. */
export function fakeBundleRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'lean-ops-bundles-'));
  for (const kind of FUNCTION_KINDS) {
    mkdirSync(join(root, kind));
    writeFileSync(join(root, kind, 'index.js'), `exports.handler = async () => ({ kind: '${kind}' });\n`);
  }
  return root;
}
