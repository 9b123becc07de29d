import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startInWorker } from './in-worker';

describe('startInWorker', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'in-worker-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a server that cannot listen, naming its thread and the cause', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await expect(startInWorker({ kind: 'dynamodb', options: { dataDir: dir, port } })).rejects.toThrow(/^dynamodb server thread: .*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('closes the server and ends its thread: the port is free again', async () => {
    const server = await startInWorker({ kind: 's3', options: { dataDir: dir, buckets: ['b'] } });
    const res = await fetch(`${server.url}/b?list-type=2`);
    expect(res.status).toBe(200);
    await server.close();
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(server.port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });
});
