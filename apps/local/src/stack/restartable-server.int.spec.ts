import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, createTables, startInWorker } from '../embedded';
import { RestartableServer, portFree } from './restartable-server';

const region = 'us-east-1';

describe('RestartableServer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'restartable-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // As the stack runs them: each server on its own thread (startInWorker).
  it('takes S3 down (connection refused) and back on the same port with its objects', async () => {
    const server = await new RestartableServer((port) => startInWorker({ kind: 's3', options: { dataDir: dir, port, buckets: ['b'] } })).open();
    const s3 = new S3Client({ region, endpoint: server.url, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 });
    try {
      await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'kept' }));
      const url = server.url;
      const started = Date.now();
      await server.setDown(true);
      // closing does not wait for the client's keep-alive socket
      expect(Date.now() - started).toBeLessThan(2000);
      expect(server.down).toBe(true);
      // a socket the client kept may hang up first; a new connection is refused
      await expect(s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toThrow(/ECONNREFUSED|socket hang up/);
      await expect(s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toThrow(/ECONNREFUSED/);
      await server.setDown(false);
      expect(server.url).toBe(url);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
      expect(await got.Body!.transformToString()).toBe('kept');
    } finally {
      s3.destroy();
      await server.close();
    }
  });

  it('restarts DynamoDB on the same data dir with its items', async () => {
    const server = await new RestartableServer((port) => startInWorker({ kind: 'dynamodb', options: { dataDir: dir, port } })).open();
    const ddb = new DynamoDBClient({ region, endpoint: server.url, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 });
    try {
      await createTables(ddb, { locks: 't-locks' });
      await ddb.send(new PutItemCommand({ TableName: 't-locks', Item: { lock_id: { S: 'x' }, state: { S: 'OPEN' } } }));
      await server.setDown(true);
      await expect(ddb.send(new GetItemCommand({ TableName: 't-locks', Key: { lock_id: { S: 'x' } } }))).rejects.toThrow(/ECONNREFUSED|socket hang up/);
      await expect(ddb.send(new GetItemCommand({ TableName: 't-locks', Key: { lock_id: { S: 'x' } } }))).rejects.toThrow(/ECONNREFUSED/);
      await server.setDown(false);
      const got = await ddb.send(new GetItemCommand({ TableName: 't-locks', Key: { lock_id: { S: 'x' } } }));
      expect(got.Item?.state?.S).toBe('OPEN');
    } finally {
      ddb.destroy();
      await server.close();
    }
  });

  it('waits for its port when another socket took it while the server was down', async () => {
    // a bare listener stands in for the embedded server
    const start = (port: number) =>
      new Promise<{ url: string; port: number; close: () => Promise<void> }>((resolve, reject) => {
        const srv = net.createServer();
        srv.once('error', reject);
        srv.listen(port, '127.0.0.1', () => {
          const p = (srv.address() as net.AddressInfo).port;
          resolve({ url: `http://127.0.0.1:${p}`, port: p, close: () => new Promise<void>((r) => srv.close(() => r())) });
        });
      });
    const server = await new RestartableServer(start).open();
    const port = Number(new URL(server.url).port);
    await server.setDown(true);
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    expect(await portFree(port)).toBe(false);
    const released = Date.now() + 400;
    setTimeout(() => squatter.close(), 400);
    try {
      await server.setDown(false);
      expect(Date.now()).toBeGreaterThanOrEqual(released - 5);
      expect(server.down).toBe(false);
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });
});
