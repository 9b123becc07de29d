import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, type RunningServer } from './server';

const credentials = { accessKeyId: 'any', secretAccessKey: 'any' };
const S3_URL = 'http://127.0.0.1:1';
const DYNAMODB_URL = 'http://127.0.0.1:2';

describe('a call signed for a service served on another endpoint', () => {
  let server: RunningServer;
  const unsupported: string[] = [];
  beforeAll(async () => {
    server = await startServer({
      services: [],
      onUnsupported: (service, op) => unsupported.push(`${service} ${op}`),
      elsewhere: { s3: { name: 'S3', url: () => S3_URL }, dynamodb: { name: 'DynamoDB', url: () => DYNAMODB_URL } },
    });
  });
  afterAll(() => server.close());

  it('tells an S3 client where S3 is, as an S3 error', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true, credentials, maxAttempts: 1 });
    try {
      await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'InvalidRequest', message: `S3 is served at ${S3_URL} (the serve line's endpoints.s3), not at this endpoint.` });
    } finally {
      s3.destroy();
    }
  });

  it('tells a DynamoDB client where DynamoDB is, and logs the call', async () => {
    const ddb = new DynamoDBClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 });
    try {
      await expect(ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({ message: expect.stringContaining(`DynamoDB is served at ${DYNAMODB_URL}`) });
    } finally {
      ddb.destroy();
    }
    expect(unsupported).toContain('(none) DynamoDB DynamoDB_20120810.ListTables');
  });
});
