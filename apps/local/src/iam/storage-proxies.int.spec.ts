import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, startDynamo, startS3, type EmbeddedServer } from '../embedded';
import type { IamPlan } from './iam-plan';
import type { GuardedProxy } from './guarded-proxy';
import { defaultKeyPolicy } from './managed-policies';
import { stackAuthorization } from './stack-authorization';

const region = 'us-east-1';
const acct = '000000000000';
const role = `arn:aws:iam::${acct}:role/dlq-role`;
const table = `arn:aws:dynamodb:${region}:${acct}:table/errors`;
const keyArn = `arn:aws:kms:${region}:${acct}:key/k1`;

/** The role may write quarantine objects (its key only through S3 for that bucket) and update items of `errors`. */
const plan: IamPlan = {
  accountId: acct,
  region,
  roles: new Map([
    [
      role,
      [
        {
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::archive/quarantine/*' },
            { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: table },
            {
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Resource: keyArn,
              Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::archive/*' } },
            },
          ],
        },
      ],
    ],
  ]),
  resourcePolicies: new Map([[keyArn, defaultKeyPolicy(acct)]]),
  functionRoles: new Map(),
  functionLogGroups: new Map(),
  encryptedWith: new Map([
    ['arn:aws:s3:::archive', keyArn],
    [table, keyArn],
  ]),
};

describe('S3 and DynamoDB behind the policy check (real s3rver and dynalite)', () => {
  let dir: string;
  let s3: EmbeddedServer;
  let ddb: EmbeddedServer;
  let proxies: { s3: GuardedProxy; dynamodb: GuardedProxy };
  let creds: { accessKeyId: string; secretAccessKey: string };
  const logs: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-storage-'));
    s3 = await startS3({ dataDir: path.join(dir, 's3'), buckets: ['archive'] });
    ddb = await startDynamo({ dataDir: path.join(dir, 'ddb') });
    const iam = stackAuthorization(plan, { log: (l) => logs.push(l), adminAccessKeyId: 'S3RVER' });
    creds = { accessKeyId: iam.functionCredentials('dlq', role).AWS_ACCESS_KEY_ID!, secretAccessKey: 'S3RVER' };
    proxies = await iam.storageProxies({ s3: () => s3.url, dynamodb: () => ddb.url });
    const admin = new DynamoDBClient({ region, endpoint: proxies.dynamodb.url, credentials: S3RVER_CREDENTIALS });
    await admin.send(
      new CreateTableCommand({
        TableName: 'errors',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();
  });
  afterAll(async () => {
    await proxies.s3.close();
    await proxies.dynamodb.close();
    await s3.close();
    await ddb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('S3: an allowed write passes through; a read or a write elsewhere is AccessDenied (403)', async () => {
    const client = new S3Client({ region, endpoint: proxies.s3.url, forcePathStyle: true, credentials: creds, requestChecksumCalculation: 'WHEN_REQUIRED', maxAttempts: 1 });
    await client.send(new PutObjectCommand({ Bucket: 'archive', Key: 'quarantine/a.json', Body: '{}' }));
    const read = await client.send(new GetObjectCommand({ Bucket: 'archive', Key: 'quarantine/a.json' })).catch((e: unknown) => e);
    expect(read).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const elsewhere = await client.send(new PutObjectCommand({ Bucket: 'archive', Key: 'dlq-archive/a.json', Body: '{}' })).catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ name: 'AccessDenied' });
    expect(logs.some((l) => l.includes('s3:PutObject') && l.includes('arn:aws:s3:::archive/dlq-archive/a.json'))).toBe(true);
    client.destroy();
  });

  it('DynamoDB: the table key must be usable through DynamoDB too; a call the role lacks is AccessDeniedException (400)', async () => {
    const client = new DynamoDBClient({ region, endpoint: proxies.dynamodb.url, credentials: creds, maxAttempts: 1 });
    // UpdateItem is allowed on the table, but the role may use the key only through S3.
    const update = await client.send(new UpdateItemCommand({ TableName: 'errors', Key: { id: { S: '1' } } })).catch((e: unknown) => e);
    expect(update).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect((update as Error).message).toContain(`kms:Decrypt on resource: ${keyArn}`);
    const put = await client.send(new PutItemCommand({ TableName: 'errors', Item: { id: { S: '1' } } })).catch((e: unknown) => e);
    expect((put as Error).message).toContain(`dynamodb:PutItem on resource: ${table}`);
    const get = await client.send(new GetItemCommand({ TableName: 'errors', Key: { id: { S: '1' } } })).catch((e: unknown) => e);
    expect(get).toMatchObject({ name: 'AccessDeniedException' });
    const admin = new DynamoDBClient({ region, endpoint: proxies.dynamodb.url, credentials: S3RVER_CREDENTIALS });
    await admin.send(new PutItemCommand({ TableName: 'errors', Item: { id: { S: '1' } } }));
    admin.destroy();
    client.destroy();
  });
});
