import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, createTables, startDynamo, startS3 } from '../embedded';
import { RestartableServer } from './restartable-server';

const region = 'us-east-1';

describe('RestartableServer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'restartable-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes S3 down (connection refused) and back on the same port with its objects', async () => {
    const server = await new RestartableServer((port) => startS3({ dataDir: dir, port, buckets: ['b'] })).open();
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
    const server = await new RestartableServer((port) => startDynamo({ dataDir: dir, port })).open();
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
});
