import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  QueueDoesNotExist,
  TooManyEntriesInBatchRequest,
  BatchEntryIdsNotDistinct,
  EmptyBatchRequest,
  BatchRequestTooLong,
  ReceiptHandleIsInvalid,
  MessageNotInflight,
  QueueNameExists,
  InvalidAttributeName,
  ListDeadLetterSourceQueuesCommand,
} from '@aws-sdk/client-sqs';
import { LIMITS } from '@lean-ops/contracts';
import { startServer, type RunningServer } from '../server';
import { QueueStore } from './queue-store';
import { SqsService } from './sqs-service';
import assert from 'node:assert/strict';

const region = 'eu-west-1';
let server: RunningServer;
let store: QueueStore;
let sqs: SQSClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-int-'));
  store = new QueueStore({ region, dataDir });
  server = await startServer({ services: [new SqsService(store)] });
  sqs = new SQSClient({ region, endpoint: server.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
});

afterAll(async () => {
  sqs.destroy();
  await server.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const create = async (name: string, Attributes?: Record<string, string>) => (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;

describe('queues', () => {
  it('creates idempotently, finds, lists by prefix and deletes', async () => {
    const url = await create('q-admin', { VisibilityTimeout: '45' });
    expect(url).toBe(`${server.url}/000000000000/q-admin`);
    expect(await create('q-admin', { VisibilityTimeout: '45' })).toBe(url);
    await expect(create('q-admin', { VisibilityTimeout: '46' })).rejects.toBeInstanceOf(QueueNameExists);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'q-admin' }))).QueueUrl).toBe(url);
    await create('other-q');
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'q-ad' }))).QueueUrls).toEqual([url]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'q-admin' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('reports and sets attributes', async () => {
    const dlq = await create('attrs-dlq');
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    expect(dlqArn).toBe(`arn:aws:sqs:${region}:000000000000:attrs-dlq`);
    const url = await create('attrs-src', { KmsMasterKeyId: 'alias/lo', MessageRetentionPeriod: '3600' });
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }), VisibilityTimeout: '60' },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', DelaySeconds: 60 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c' }));
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    expect(a).toMatchObject({
      KmsMasterKeyId: 'alias/lo',
      MessageRetentionPeriod: '3600',
      VisibilityTimeout: '60',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      QueueArn: `arn:aws:sqs:${region}:000000000000:attrs-src`,
    });
    expect(JSON.parse(a.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    expect(Number(a.CreatedTimestamp)).toBeGreaterThan(1.7e9);
    expect((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls).toEqual([url]);
    await expect(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Nope' as 'All'] }))).rejects.toBeInstanceOf(InvalidAttributeName);
    await expect(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${dlqArn}-missing`, maxReceiveCount: 3 }) } })),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
  });
});

describe('messages', () => {
  it('sends, receives with attributes, changes visibility and deletes', async () => {
    const url = await create('msg-q');
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"héllo":"wörld"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'k1' }, blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('{"héllo":"wörld"}', 'utf8').digest('hex'));
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 30,
      }),
    );
    expect(r.Messages).toHaveLength(1);
    const m = r.Messages![0];
    assert(m);
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.Body).toBe('{"héllo":"wörld"}');
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String), SentTimestamp: expect.any(String), ApproximateFirstReceiveTimestamp: expect.any(String) });
    expect(m.MessageAttributes?.kind?.StringValue).toBe('k1');
    expect(Array.from(m.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual([1, 2, 3]);
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(again.Messages![0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    // the first handle is outdated: deleting with it succeeds but keeps the message (AWS DeleteMessage docs)
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    expect(store.counts('msg-q')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await expect(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 5 }))).rejects.toBeInstanceOf(MessageNotInflight);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]?.ReceiptHandle }));
    expect(store.counts('msg-q')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('enforces the message size limit', async () => {
    const url = await create('size-q');
    const max = 'x'.repeat(LIMITS.sqsMaxMessageBytes);
    const ok = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: max }));
    expect(ok.MessageId).toBeDefined();
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(got.Messages![0]?.Body!.length).toBe(LIMITS.sqsMaxMessageBytes);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `${max}y` }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Message must be shorter than'),
    });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'nul\u0000' }))).rejects.toMatchObject({ name: 'InvalidMessageContents' });
  });

  it('enforces batch limits and reports per-entry results', async () => {
    const url = await create('batch-q');
    const entries = (n: number) => Array.from({ length: n }, (_, k) => ({ Id: `e${k}`, MessageBody: `m${k}` }));
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) }))).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: '1' },
            { Id: 'a', MessageBody: '2' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] }))).rejects.toBeInstanceOf(EmptyBatchRequest);
    const half = 'x'.repeat(LIMITS.sqsMaxMessageBytes / 2 + 1);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: half },
            { Id: 'b', MessageBody: half },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(BatchRequestTooLong);

    const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [...entries(9), { Id: 'bad', MessageBody: 'bad\u0001' }] }));
    expect(res.Successful).toHaveLength(9);
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
    expect(cv.Failed![0]).toMatchObject({ Id: 'b', Code: 'ReceiptHandleIsInvalid' });
    const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.Messages!.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) }));
    expect(del.Successful).toHaveLength(9);
    expect(store.counts('batch-q')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('long-polls until a message arrives', async () => {
    const url = await create('poll-q');
    const t0 = Date.now();
    const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await new Promise((r) => setTimeout(r, 300));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    const got = await pending;
    expect(got.Messages![0]?.Body).toBe('late');
    expect(Date.now() - t0).toBeLessThan(3000);
    const empty0 = Date.now();
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages).toBeUndefined();
    expect(Date.now() - empty0).toBeGreaterThanOrEqual(900);
    // without WaitTimeSeconds the queue's ReceiveMessageWaitTimeSeconds applies
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { ReceiveMessageWaitTimeSeconds: '1' } }));
    const queueWait0 = Date.now();
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    expect(Date.now() - queueWait0).toBeGreaterThanOrEqual(900);
  });

  it('redrives after maxReceiveCount to the DLQ and moves messages back', async () => {
    const dlq = await create('rd-dlq', { MessageRetentionPeriod: '1209600' });
    const dlqArn = store.arnOf('rd-dlq');
    const url = await create('rd-src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let k = 1; k <= 2; k++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0, AttributeNames: ['All'] }));
      expect(r.Messages![0]?.Attributes!.ApproximateReceiveCount).toBe(String(k));
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const d = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, AttributeNames: ['All'], VisibilityTimeout: 0 }));
    expect(d.Messages![0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
    expect(d.Messages![0]?.Attributes!.DeadLetterQueueSourceArn).toBe(store.arnOf('rd-src'));

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(TaskHandle).toBeDefined();
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(tasks.Results![0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1 });
    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(back.Messages![0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
    expect(back.Messages![0]?.Attributes!.ApproximateReceiveCount).toBe('1');
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: store.arnOf('rd-src') }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('purges once a minute', async () => {
    const url = await create('purge-q');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(store.counts('purge-q').visible).toBe(0);
    await expect(sqs.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({ name: 'PurgeQueueInProgress' });
  });
});

describe('router', () => {
  it('answers an unknown SQS action with the AWS error shape, not a hang', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.DoSomethingNew', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: expect.stringContaining('UnknownOperationException') });
  });
  it('answers an unknown service and query action with AWS errors', async () => {
    const j = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'Firehose_20150804.PutRecord', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(j.status).toBe(400);
    expect(((await j.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const q = await fetch(`${server.url}/?Action=ListTopics`, { method: 'POST' });
    expect(q.status).toBe(400);
    expect(await q.text()).toContain('<Code>InvalidAction</Code>');
  });
  it('serves added plain routes', async () => {
    server.addRoute({ method: 'POST', path: '/_lean-ops/ping', handle: async (req) => ({ status: 200, body: `pong ${req.body.toString()}` }) });
    const res = await fetch(`${server.url}/_lean-ops/ping`, { method: 'POST', body: 'x' });
    expect(await res.text()).toBe('pong x');
  });
});
