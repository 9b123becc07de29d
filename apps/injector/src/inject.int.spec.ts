import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { queueNameFromUrl } from '@lean-ops/contracts';
import { main } from './cli';
import { DEFAULT_CONNECTIONS } from './connections';
import { generateMessages } from './generate-messages';
import { loadScenario } from './load-scenario';

const ROOT = join(__dirname, '..', '..', '..');
const ENV_FILE = join(ROOT, 'environments', 'local.tfvars');
const CONFIGS = join(__dirname, '..', 'tests', 'configs');
const PREFIX = 'lean-ops-local';

/**
 * The smallest SQS endpoint the real SDK and the injector's transport accept (JSON protocol, `x-amz-target: AmazonSQS.<Action>`):
 * GetQueueUrl, SendMessageBatch and SendMessage, with the MD5 of each body the SDK checks. The first
 * batch gets one entry failed with SenderFault false, so the injector's re-send is exercised.
 */
function sqsServer(queues: string[]) {
  const received: Array<{ queue: string; body: string }> = [];
  const calls: Record<string, number> = {};
  let failedOne = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
      calls[action] = (calls[action] ?? 0) + 1;
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
      const queueOf = queueNameFromUrl;
      if (action === 'GetQueueUrl') {
        if (!queues.includes(input.QueueName)) return reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
        return reply(200, { QueueUrl: `http://${req.headers.host}/000000000000/${input.QueueName}` });
      }
      if (action === 'SendMessageBatch') {
        const entries = input.Entries as Array<{ Id: string; MessageBody: string }>;
        const fail = failedOne ? undefined : entries[0];
        failedOne = true;
        const ok = entries.filter((e) => e !== fail);
        for (const e of ok) received.push({ queue: queueOf(input.QueueUrl), body: e.MessageBody });
        return reply(200, {
          Successful: ok.map((e, i) => ({ Id: e.Id, MessageId: `m-${received.length}-${i}`, MD5OfMessageBody: md5(e.MessageBody) })),
          Failed: fail ? [{ Id: fail.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' }] : [],
        });
      }
      if (action === 'SendMessage') {
        received.push({ queue: queueOf(input.QueueUrl), body: input.MessageBody });
        return reply(200, { MessageId: `m-${received.length}`, MD5OfMessageBody: md5(input.MessageBody) });
      }
      return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `unsupported: ${action}` });
    });
  });
  return { server, received, calls };
}

describe('inject against an SQS JSON-protocol endpoint (GetQueueUrl by the SDK, sends by the JSON transport)', () => {
  const queues = ['orders', 'payments', 'clickstream'].map((t) => `${PREFIX}-${t}`);
  const sqs = sqsServer(queues);
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => sqs.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(sqs.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => sqs.server.close(() => resolve())));

  it('sends the thundering herd: every generated body arrives once on its topic queue', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const file = join(CONFIGS, 'thundering_herd.json');
    const code = await main(['--config', file, '--endpoint', endpoint, '--env-file', ENV_FILE], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
    });
    expect(err.join('')).toMatch(/inject thundering_herd: 5000\/5000 \(100%\)/);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ total: 5000, sent: 5000, failed: 0, retries: 1, connections: DEFAULT_CONNECTIONS, sentByTopic: { orders: 2000, payments: 1000, clickstream: 2000 } });
    expect(summary.sentByExpected).toEqual({ raw: 4850, quarantine: 100, dlq: 50, duplicate: 0 });

    // Same seed, same messages: each message id (malformed bodies included) arrives once, on its topic's queue.
    const scenario = await loadScenario(file);
    const expected = generateMessages(scenario, [
      { name: 'orders', expectedFields: ['order_id', 'customer_id', 'amount', 'currency', 'status', 'created_at'] },
      { name: 'payments', expectedFields: ['payment_id', 'order_id', 'amount', 'currency', 'method', 'captured_at'] },
      { name: 'clickstream', expectedFields: ['session_id', 'user_id', 'page', 'action', 'occurred_at'] },
    ]);
    const key = (queue: string, body: string) => `${queue} ${/thundering_herd-[a-z]+-\d{6}/.exec(body)?.[0]}`;
    const arrived = sqs.received.map((r) => key(r.queue, r.body)).sort();
    expect(arrived).toEqual(expected.map((m) => key(`${PREFIX}-${m.topic}`, m.body)).sort());
    expect(new Set(arrived).size).toBe(5000);
    expect(sqs.calls.GetQueueUrl).toBe(3);
    expect(sqs.calls.SendMessageBatch).toBeLessThanOrEqual(503);
  });

  it('sends over as many connections as asked, one sender thread each', async () => {
    sqs.received.length = 0;
    const out: string[] = [];
    const code = await main(['--config', join(CONFIGS, 'poison_topic.json'), '--endpoint', endpoint, '--env-file', ENV_FILE, '--connections', '3'], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => undefined },
      env: {},
    });
    expect(code).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ connections: 3, failed: 0 });
    expect(sqs.received).toHaveLength(summary.total);
  });

  it('sends oversize records (~1 MiB) through the transport', async () => {
    sqs.received.length = 0;
    const out: string[] = [];
    const code = await main(['--config', join(CONFIGS, 'oversize.json'), '--endpoint', endpoint, '--env-file', ENV_FILE], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => undefined },
      env: {},
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ sent: 200, failed: 0, sentByExpected: { quarantine: 10 } });
    expect(sqs.received.filter((r) => Buffer.byteLength(r.body) > 1000 * 1024)).toHaveLength(10);
  });
});
