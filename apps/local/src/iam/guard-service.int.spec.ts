import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { CreateEventSourceMappingCommand, InvokeCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { jsonOk, type AwsService } from '../aws-service';
import { startServer, type RunningServer } from '../server';
import { SnsService } from '../sns';
import { QueueStore, SqsQueryService, SqsService } from '../sqs';
import type { IamPlan } from './iam-plan';
import { defaultKeyPolicy } from './managed-policies';
import { stackAuthorization, type StackAuthorization } from './stack-authorization';

const region = 'us-east-1';
const acct = '000000000000';
const role = `arn:aws:iam::${acct}:role/proc-role`;
const queueArn = `arn:aws:sqs:${region}:${acct}:orders`;
const topicArn = `arn:aws:sns:${region}:${acct}:alerts`;
const keyArn = `arn:aws:kms:${region}:${acct}:key/k1`;

/** The processor may receive from and send to `orders` (with its key via SQS only) and publish to `alerts`. */
const plan: IamPlan = {
  accountId: acct,
  region,
  roles: new Map([
    [
      role,
      [
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: queueArn },
            { Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
            { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } } },
          ],
        },
      ],
    ],
  ]),
  resourcePolicies: new Map([
    [keyArn, defaultKeyPolicy(acct)],
    [topicArn, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'sns:Publish', Resource: topicArn }] }],
  ]),
  functionRoles: new Map([['proc', role]]),
  functionLogGroups: new Map(),
  encryptedWith: new Map([
    [queueArn, keyArn],
    [topicArn, keyArn],
  ]),
};

/** Stands in for a service whose own behaviour does not matter here: a denied call never reaches it. */
const stub = (name: string, matches: AwsService['matches']): AwsService => ({ name, matches, handle: async () => jsonOk({}) });

describe('every call to the endpoint is decided against the plan, with each service error shape', () => {
  let dataDir: string;
  let store: QueueStore;
  let server: RunningServer;
  let iam: StackAuthorization;
  const logs: string[] = [];
  let fn: { accessKeyId: string; secretAccessKey: string };
  const admin = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-int-'));
    store = new QueueStore({ region, dataDir });
    store.createQueue('orders', {});
    store.createQueue('other', {});
    iam = stackAuthorization(plan, { log: (l) => logs.push(l), adminAccessKeyId: admin.accessKeyId });
    fn = { accessKeyId: iam.functionCredentials('proc', role).AWS_ACCESS_KEY_ID!, secretAccessKey: 'S3RVER' };
    const sqs = new SqsService(store, { endpoint: () => server?.url });
    const sns = new SnsService({ region, accountId: acct, invokeLambda: async () => undefined });
    sns.createTopic('alerts');
    server = await startServer({
      services: iam.guard([
        sqs,
        new SqsQueryService(sqs),
        stub('firehose', (r) => r.target?.startsWith('Firehose_20150804.') ?? false),
        stub('lambda', (r) => !r.target && r.path.startsWith('/2015-03-31/')),
        sns,
      ]),
    });
  });
  afterAll(async () => {
    await server.close();
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const client = <T>(make: new (c: object) => T, credentials: object): T => new make({ region, endpoint: server.url, credentials, maxAttempts: 1 });

  it('SQS: allowed calls go through; others fail with AccessDenied (403), the principal, action and resource logged and counted', async () => {
    const sqs = client(SQSClient, fn);
    const url = `${server.url}/${acct}/orders`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
    const err = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(String((err as Error).message)).toBe(`Access to the resource ${url} is denied.`);
    const other = await sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/${acct}/other`, MessageBody: 'x' })).catch((e: unknown) => e);
    expect(other).toMatchObject({ name: 'AccessDenied' });
    expect(logs.some((l) => l.includes(`arn:aws:sts::${acct}:assumed-role/proc-role/proc`) && l.includes('sqs:GetQueueAttributes') && l.includes(queueArn))).toBe(true);
    expect(iam.denied()).toEqual(
      expect.arrayContaining([
        { principal: `arn:aws:sts::${acct}:assumed-role/proc-role/proc`, action: 'sqs:GetQueueAttributes', resource: queueArn, count: 1 },
        { principal: `arn:aws:sts::${acct}:assumed-role/proc-role/proc`, action: 'sqs:SendMessage', resource: `arn:aws:sqs:${region}:${acct}:other`, count: 1 },
      ]),
    );
    sqs.destroy();
  });

  it('the user (any other key) is the administrator', async () => {
    const sqs = client(SQSClient, admin);
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/${acct}/other`, AttributeNames: ['All'] }));
    expect(attrs.Attributes).toBeDefined();
    sqs.destroy();
  });

  it('SQS Query protocol: AccessDenied in the XML error document, 403', async () => {
    const form = new URLSearchParams({ Action: 'PurgeQueue', Version: '2012-11-05', QueueUrl: `${server.url}/${acct}/orders` });
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${fn.accessKeyId}/20260101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: form.toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('Firehose: AccessDeniedException (400); Lambda: AccessDeniedException (403), IAM message naming principal, action and resource', async () => {
    const firehose = client(FirehoseClient, fn);
    const f = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'raw', Records: [{ Data: new Uint8Array([1]) }] })).catch((e: unknown) => e);
    expect(f).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect((f as Error).message).toBe(
      `User: arn:aws:sts::${acct}:assumed-role/proc-role/proc is not authorized to perform: firehose:PutRecordBatch on resource: arn:aws:firehose:${region}:${acct}:deliverystream/raw because no identity-based policy allows the firehose:PutRecordBatch action`,
    );
    const lambda = client(LambdaClient, fn);
    const l = await lambda.send(new ListEventSourceMappingsCommand({})).catch((e: unknown) => e);
    expect(l).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    const i = await lambda.send(new InvokeCommand({ FunctionName: 'other-fn' })).catch((e: unknown) => e);
    expect((i as Error).message).toContain(`lambda:InvokeFunction on resource: arn:aws:lambda:${region}:${acct}:function:other-fn`);
    firehose.destroy();
    lambda.destroy();
  });

  it('Lambda: CreateEventSourceMapping refuses a function whose role cannot poll the queue (InvalidParameterValueException)', async () => {
    const lambda = client(LambdaClient, admin);
    const refused = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'proc', EventSourceArn: queueArn })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    expect((refused as Error).message).toBe('The provided execution role does not have permissions to call DeleteMessage on SQS');
    // A function the plan does not hold is the Lambda service's to answer.
    await expect(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'elsewhere', EventSourceArn: queueArn }))).resolves.toBeDefined();
    lambda.destroy();
  });

  it('SNS: AuthorizationError (403); the topic policy lets the account in, the key then decides (KMSAccessDenied)', async () => {
    const sns = client(SNSClient, fn);
    const e = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm' })).catch((x: unknown) => x);
    // The role may not use the key through SNS (its key permission is for SQS only).
    expect(e).toMatchObject({ name: 'KMSAccessDeniedException', $metadata: { httpStatusCode: 400 } });
    const missing = await sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${region}:${acct}:plain`, Message: 'm' })).catch((x: unknown) => x);
    // The SDK's class for the AuthorizationError code.
    expect(missing).toMatchObject({ name: 'AuthorizationErrorException', $metadata: { httpStatusCode: 403 } });
    sns.destroy();
  });

  it('service principals: CloudWatch needs the key policy to publish to an encrypted topic', () => {
    expect(iam.alarmPublish(topicArn, JSON.stringify({ AlarmArn: `arn:aws:cloudwatch:${region}:${acct}:alarm:a` }))).toBe(true);
    expect(iam.denied()).toEqual(expect.arrayContaining([{ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topicArn, count: 1 }]));
  });
});
