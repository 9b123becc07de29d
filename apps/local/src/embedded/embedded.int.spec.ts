import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DynamoDBClient, DescribeTableCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CHECKPOINTS, ERRORS, LOCKS } from '@lean-ops/contracts';
import { startS3, startDynamo, createTables, S3RVER_CREDENTIALS, type EmbeddedServer } from './index';

const region = 'us-east-1';

describe('embedded S3 (s3rver)', () => {
  let dir: string;
  let s3: EmbeddedServer;
  let client: S3Client;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lo-s3-'));
    s3 = await startS3({ dataDir: dir, buckets: ['archive'] });
    client = new S3Client({ region, endpoint: s3.url, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
  });
  afterAll(async () => {
    client.destroy();
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts and gets an object byte for byte', async () => {
    const body = '{"n":12345678901234567890,"s":"héllo ✓"}';
    await client.send(new PutObjectCommand({ Bucket: 'archive', Key: 'quarantine/topic=a/x.json', Body: body, ContentType: 'application/json' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'archive', Key: 'quarantine/topic=a/x.json' }));
    expect(await got.Body!.transformToString()).toBe(body);
  });

  it('accepts any access key, as the other local endpoints do', async () => {
    const user = new S3Client({
      region,
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAUSERKEY', secretAccessKey: 'not-s3rver' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await user.send(new PutObjectCommand({ Bucket: 'archive', Key: 'any-key/x.txt', Body: 'hello' }));
    const got = await user.send(new GetObjectCommand({ Bucket: 'archive', Key: 'any-key/x.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');
    expect((await user.send(new ListObjectsV2Command({ Bucket: 'archive', Prefix: 'any-key/' }))).KeyCount).toBe(1);
    user.destroy();
  });

  it('lists more than 1,000 keys across pages, and reports the PutObject rate', async () => {
    const n = 1100;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => client.send(new PutObjectCommand({ Bucket: 'archive', Key: `many/k-${String(i + j).padStart(5, '0')}`, Body: 'x' }))));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`s3rver PutObject: ${Math.round(n / seconds)} objects/s (${n} objects, 50 in flight)\n`);
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'archive', Prefix: 'many/' }));
    expect(first.KeyCount).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: 'archive', Prefix: 'many/' })) keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    expect(keys).toHaveLength(n);
    expect(new Set(keys).size).toBe(n);
  });
});

describe('embedded DynamoDB (dynalite)', () => {
  let dir: string;
  let ddb: EmbeddedServer;
  const clientFor = (url: string) => new DynamoDBClient({ region, endpoint: url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lo-ddb-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the tables from the shared key schema, idempotently, and keeps items across a restart', async () => {
    ddb = await startDynamo({ dataDir: dir });
    let client = clientFor(ddb.url);
    const tables = { checkpoints: 't-checkpoints', locks: 't-locks', errors: 't-errors' };
    await createTables(client, tables);
    await createTables(client, tables);
    const desc = await client.send(new DescribeTableCommand({ TableName: 't-errors' }));
    expect(desc.Table?.KeySchema).toEqual([
      { AttributeName: ERRORS.partitionKey, KeyType: 'HASH' },
      { AttributeName: ERRORS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(desc.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const locks = await client.send(new DescribeTableCommand({ TableName: 't-locks' }));
    expect(locks.Table?.KeySchema).toEqual([{ AttributeName: LOCKS.partitionKey, KeyType: 'HASH' }]);
    await client.send(
      new PutItemCommand({ TableName: 't-checkpoints', Item: { [CHECKPOINTS.partitionKey]: { S: 'orders' }, [CHECKPOINTS.sortKey]: { S: '2026-11-26T08:15Z' }, received: { N: '7' } } }),
    );
    client.destroy();
    await ddb.close();

    ddb = await startDynamo({ dataDir: dir });
    client = clientFor(ddb.url);
    const item = await client.send(new GetItemCommand({ TableName: 't-checkpoints', Key: { [CHECKPOINTS.partitionKey]: { S: 'orders' }, [CHECKPOINTS.sortKey]: { S: '2026-11-26T08:15Z' } } }));
    expect(item.Item?.received).toEqual({ N: '7' });
    client.destroy();
    await ddb.close();
  });
});
