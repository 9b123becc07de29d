import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startScriptWorker } from '@lean-ops/injector';
import type { StartDynamoOptions } from './dynamo-server';
import type { EmbeddedServer, StartS3Options } from './s3-server';

/** Which embedded server a thread runs, with its options (plain data: it crosses a thread boundary). */
export type WorkerServerSpec = { kind: 's3'; options: StartS3Options } | { kind: 'dynamodb'; options: StartDynamoOptions };

export type WorkerServerMessage = { type: 'listening'; port: number } | { type: 'closed' } | { type: 'error'; message: string };

const toStderr = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * Starts an embedded server (s3rver, dynalite) on a thread of its own: its request handling, object and LevelDB
 * work run beside the AWS endpoint's event loop instead of on it, as S3 and DynamoDB answer independently of SQS
 * on AWS. Resolves once it listens; a thread that stops unasked is reported on stderr (its endpoint then refuses
 * connections, as an unreachable service does).
 */
export function startInWorker(spec: WorkerServerSpec, report: (line: string) => void = toStderr): Promise<EmbeddedServer> {
  const worker = startScriptWorker(path.join(__dirname, `server-worker${path.extname(__filename)}`), spec);
  return new Promise<EmbeddedServer>((resolve, reject) => {
    const failed = (err: Error) => reject(new Error(`${spec.kind} server thread: ${err.message}`));
    const exited = (code: number) => failed(new Error(`exited (code ${code}) before listening`));
    worker.once('error', failed);
    worker.once('exit', exited);
    worker.once('message', (m: WorkerServerMessage) => {
      worker.off('error', failed).off('exit', exited);
      if (m.type !== 'listening') {
        failed(new Error(m.type === 'error' ? m.message : `answered ${m.type} before listening`));
        void worker.terminate();
        return;
      }
      resolve(running(worker, spec.kind, m.port, report));
    });
  });
}

/** The server's handle: `close()` closes it in its thread (connections dropped, store closed), then ends the thread. */
function running(worker: Worker, kind: WorkerServerSpec['kind'], port: number, report: (line: string) => void): EmbeddedServer {
  let closing = false;
  worker.on('error', (err) => report(`local stack: the ${kind} server thread failed: ${err.stack ?? err.message}`));
  worker.on('exit', (code) => closing || report(`local stack: the ${kind} server thread stopped (code ${code}); its endpoint refuses connections`));
  const close = () =>
    new Promise<void>((resolve) => {
      closing = true;
      worker.once('exit', () => resolve());
      worker.once('message', () => void worker.terminate());
      worker.postMessage({ type: 'close' });
    });
  return { url: `http://127.0.0.1:${port}`, port, close };
}
