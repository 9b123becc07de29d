import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @aws-sdk/client-sqs 3.445, the last release that speaks the Query protocol (installed under an alias).
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  TooManyEntriesInBatchRequest,
  UntagQueueCommand,
} from 'sqs-query-client';
import { startServer, type RunningServer } from '../server';
import { md5OfMessageAttributes } from './message-md5';
import { QueueStore } from './queue-store';
import { SqsQueryService } from './sqs-query-service';
import { SqsService } from './sqs-service';
import assert from 'node:assert/strict';

const region = 'eu-west-1';
let server: RunningServer;
let store: QueueStore;
let sqs: SQSClient;
let dataDir: string;
const unsupported: string[] = [];
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-query-int-'));
  store = new QueueStore({ region, dataDir });
  const json = new SqsService(store);
  server = await startServer({ services: [json, new SqsQueryService(json)], onUnsupported: (s, op) => unsupported.push(`${s} ${op}`) });
  sqs = new SQSClient({ region, endpoint: server.url, credentials: { accessKeyId: 'any-key', secretAccessKey: 'any-secret' } });
});

afterAll(async () => {
  sqs.destroy();
  await server.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SQS Query protocol, through a Query-protocol SDK', () => {
  it('manages queues, attributes and tags', async () => {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: 'qq-admin', Attributes: { VisibilityTimeout: '45' }, tags: { team: 'ops' } }));
    const url = created.QueueUrl!;
    expect(url).toBe(`${server.url}/000000000000/qq-admin`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'qq-admin' }))).QueueUrl).toBe(url);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'qq-ad' }))).QueueUrls).toEqual([url]);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '2', MessageRetentionPeriod: '3600' } }));
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'QueueArn'] }))).Attributes;
    expect(attrs).toEqual({ VisibilityTimeout: '45', DelaySeconds: '2', QueueArn: `arn:aws:sqs:${region}:000000000000:qq-admin` });
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'local', tier: '1' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tier'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'ops', env: 'local' });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const gone = sqs.send(new GetQueueUrlCommand({ QueueName: 'qq-admin' }));
    await expect(gone).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(gone).rejects.toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('sends, receives, changes visibility and deletes with correct MD5s and attributes', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'qq-msg' }))).QueueUrl!;
    const body = '{"héllo":"wörld"}\r\n<&>';
    const MessageAttributes = {
      kind: { DataType: 'String', StringValue: 'k1' },
      count: { DataType: 'Number', StringValue: '42' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
    };
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes }));
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    const expectedAttrMd5 = md5OfMessageAttributes({
      kind: { DataType: 'String', StringValue: 'k1' },
      count: { DataType: 'Number', StringValue: '42' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') },
    });
    expect(sent.MD5OfMessageAttributes).toBe(expectedAttrMd5);

    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'], MessageAttributeNames: ['All'], VisibilityTimeout: 30 }));
    expect(r.Messages).toHaveLength(1);
    const m = r.Messages![0];
    assert(m);
    expect(m).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5(body), MD5OfMessageAttributes: expectedAttrMd5 });
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SentTimestamp: expect.any(String) });
    expect(m.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'k1' });
    expect(Array.from(m.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual([1, 2, 3]);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['ApproximateReceiveCount' as 'All'] }));
    expect(again.Messages![0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]?.ReceiptHandle }));
    expect(store.counts('qq-msg')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });

  it('serves the batch actions with per-entry results', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'qq-batch' }))).QueueUrl!;
    const entries = (n: number) => Array.from({ length: n }, (_, k) => ({ Id: `e${k}`, MessageBody: `m${k}` }));
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) }))).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [...entries(8), { Id: 'attr', MessageBody: 'a', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }, { Id: 'bad', MessageBody: 'bad\u0001' }],
      }),
    );
    expect(res.Successful).toHaveLength(9);
    expect(res.Successful!.find((e) => e.Id === 'attr')).toMatchObject({ MD5OfMessageBody: md5('a'), MD5OfMessageAttributes: md5OfMessageAttributes({ k: { DataType: 'String', StringValue: 'v' } }) });
    expect(res.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) }]);

    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages).toHaveLength(9);
    const cv = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: got.Messages![0]?.ReceiptHandle, VisibilityTimeout: 100 },
          { Id: 'b', ReceiptHandle: 'nonsense', VisibilityTimeout: 1 },
        ],
      }),
    );
    expect(cv.Successful).toEqual([{ Id: 'a' }]);
    expect(cv.Failed![0]).toMatchObject({ Id: 'b', Code: 'ReceiptHandleIsInvalid', SenderFault: true });
    const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.Messages!.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) }));
    expect(del.Successful).toHaveLength(9);
    expect(store.counts('qq-batch')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('redrives to a DLQ, lists its sources, moves messages back and purges', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'qq-dlq' }))).QueueUrl!;
    const dlqArn = store.arnOf('qq-dlq');
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'qq-src', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }))).QueueUrl!;
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(TaskHandle).toEqual(expect.any(String));
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(tasks.Results![0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1, SourceArn: dlqArn });
    await expect(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: TaskHandle! }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(store.counts('qq-src').visible).toBe(0);
  });
});

describe('SQS Query protocol on the wire', () => {
  it('answers a GET query string and a form POST with the AWS XML documents', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'qq-wire' }));
    const get = await fetch(`${server.url}/?Action=GetQueueUrl&Version=2012-11-05&QueueName=qq-wire`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/xml');
    const requestId = get.headers.get('x-amzn-requestid');
    expect(await get.text()).toBe(
      `<?xml version="1.0"?><GetQueueUrlResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><GetQueueUrlResult><QueueUrl>${server.url}/000000000000/qq-wire</QueueUrl></GetQueueUrlResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetQueueUrlResponse>`,
    );
    const byPath = await fetch(`${server.url}/000000000000/qq-wire/?Action=SendMessage&Version=2012-11-05&MessageBody=on%20the%20path`);
    expect(await byPath.text()).toContain(`<MD5OfMessageBody>${md5('on the path')}</MD5OfMessageBody>`);
    expect(store.counts('qq-wire').visible).toBe(1);
    const del = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: `Action=DeleteQueue&Version=2012-11-05&QueueUrl=${encodeURIComponent(`${server.url}/000000000000/qq-wire`)}`,
    });
    expect(await del.text()).toMatch(/^<\?xml version="1.0"\?><DeleteQueueResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DeleteQueueResponse>$/);
  });

  it('sends errors as ErrorResponse documents, and names an unknown action', async () => {
    const missing = await fetch(`${server.url}/?Action=GetQueueUrl&Version=2012-11-05&QueueName=nope`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(
      /<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist for this wsdl version.<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
    const unknown = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00' },
      body: 'Action=SendMessages&Version=2012-11-05',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('<Code>InvalidAction</Code><Message>The action SendMessages is not valid for this endpoint.</Message>');
    expect(unsupported).toContain('sqs-query SendMessages');
    const json = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.SendMessages', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(unsupported).toContain('sqs AmazonSQS.SendMessages');
  });
});
