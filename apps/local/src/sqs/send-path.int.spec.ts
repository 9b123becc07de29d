import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isTransientError, sqsJsonTransport } from '@lean-ops/injector';
import { startServer, type RunningServer } from '../server';
import { md5Hex } from './message-md5';
import { QueueStore } from './queue-store';
import { SqsService } from './sqs-service';

// The injector's SQS JSON transport against this endpoint: what it sends is accepted, stored and answered as the SDK expects.
const region = 'eu-west-1';
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
let server: RunningServer;
let store: QueueStore;
let sqs: SQSClient;
let dataDir: string;
let transport: ReturnType<typeof sqsJsonTransport>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-send-path-'));
  store = new QueueStore({ region, dataDir });
  server = await startServer({ services: [new SqsService(store)] });
  sqs = new SQSClient({ region, endpoint: server.url, credentials });
  transport = sqsJsonTransport({ region, endpoint: server.url, credentials: async () => credentials, maxSockets: 4 });
});

afterAll(async () => {
  transport.close();
  sqs.destroy();
  await server.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function receiveAll(url: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (;;) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (!res.Messages?.length) return out;
    for (const m of res.Messages) {
      expect(m.MD5OfBody).toBe(md5Hex(m.Body!));
      out.set(m.MessageId!, m.Body!);
    }
  }
}

describe('SendMessageBatch and SendMessage through the injector transport', () => {
  it('stores every body once, byte for byte, with the MD5s the transport checks', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'send-path' }))).QueueUrl!;
    const bodies = Array.from({ length: 30 }, (_, i) => JSON.stringify({ message_id: `m-${i}`, text: `é ✓ 😀 "quoted" \\ ${i}` }));
    for (let i = 0; i < bodies.length; i += 10) {
      const result = await transport.sendBatch(
        url,
        bodies.slice(i, i + 10).map((body, k) => ({ id: `m${i + k}`, body })),
      );
      expect(result.failed).toEqual([]);
      expect(result.successful).toHaveLength(10);
    }
    await transport.sendOne(url, 'one more');
    const stored = await receiveAll(url);
    expect([...stored.values()].sort()).toEqual([...bodies, 'one more'].sort());
  });

  it('reports a bad entry as a sender fault and keeps the others', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'send-path-bad' }))).QueueUrl!;
    const result = await transport.sendBatch(url, [
      { id: 'ok', body: 'fine' },
      { id: 'bad', body: 'nul\u0000' },
    ]);
    expect(result.successful).toEqual(['ok']);
    expect(result.failed).toEqual([{ id: 'bad', senderFault: true, code: 'InvalidMessageContents', message: expect.any(String) }]);
  });

  it('gets the endpoint errors with their SQS names, none of them worth a retry', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'send-path-errors' }))).QueueUrl!;
    const big = 'x'.repeat(300 * 1024);
    const tooLong = await transport
      .sendBatch(
        url,
        [0, 1, 2, 3].map((i) => ({ id: `b${i}`, body: big })),
      )
      .catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ name: 'BatchRequestTooLong', $metadata: { httpStatusCode: 400 } });
    const missing = await transport.sendOne(`${server.url}/000000000000/no-such-queue`, 'x').catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'QueueDoesNotExist' });
    expect([tooLong, missing].map(isTransientError)).toEqual([false, false]);
  });
});
