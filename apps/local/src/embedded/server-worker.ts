import { parentPort, workerData } from 'node:worker_threads';
import { startDynamo } from './dynamo-server';
import type { WorkerServerMessage, WorkerServerSpec } from './in-worker';
import { startS3 } from './s3-server';

/** One embedded server in this thread (see startInWorker): listens, then closes when asked and says so. */
async function run(spec: WorkerServerSpec): Promise<void> {
  const server = spec.kind === 's3' ? await startS3(spec.options) : await startDynamo(spec.options);
  const port = parentPort!;
  port.once('message', () => {
    void server.close().then(() => port.postMessage({ type: 'closed' } satisfies WorkerServerMessage));
  });
  port.postMessage({ type: 'listening', port: server.port } satisfies WorkerServerMessage);
}

run(workerData as WorkerServerSpec).catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerServerMessage);
});
