import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `file`; a TypeScript file is loaded through tsx's require hook, whatever loads this
 * process. No flags of this process are passed: per-process ones (--openssl-legacy-provider) are refused in a
 * worker, and its OpenSSL is the process's anyway.
 */
export function startScriptWorker(file: string, workerData: unknown): Worker {
  const load = file.endsWith('.ts') ? `require('tsx/cjs'); require(${JSON.stringify(file)});` : `require(${JSON.stringify(file)});`;
  return new Worker(load, { eval: true, workerData, execArgv: [] });
}
