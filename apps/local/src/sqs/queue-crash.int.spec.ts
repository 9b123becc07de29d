import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

/** A stack process that only serves SQS: SIGKILLed mid-run, then started again on the same data dir. */
const FIXTURE = (root: string) => `
import { startServer } from '${root}/server';
import { QueueStore } from '${root}/sqs/queue-store';
import { SqsService } from '${root}/sqs/sqs-service';
const store = new QueueStore({ region: 'eu-west-1', dataDir: process.argv[2] });
if (!store.hasQueue('crash-q')) store.createQueue('crash-q', { VisibilityTimeout: '600' });
startServer({ services: [new SqsService(store)] }).then((s) => console.log(s.url));
`;

let dir: string;
let fixture: string;

function startStack(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (url) => resolve({ child, url }));
    child.once('exit', (code) => reject(new Error(`stack exited with ${code}`)));
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-crash-'));
  fixture = path.join(dir, 'stack.ts');
  fs.writeFileSync(fixture, FIXTURE(path.resolve(__dirname, '..')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('loses no acknowledged message and resurrects no acknowledged delete when SIGKILLed mid-run', async () => {
  const dataDir = path.join(dir, 'data');
  const first = await startStack(dataDir);
  const queueUrl = `${first.url}/000000000000/crash-q`;
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: first.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  const acked = new Set<string>();
  const deleted = new Set<string>();
  let stop = false;
  let batch = 0;

  const producers = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const n = batch++;
      try {
        const r = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `e${k}`, MessageBody: JSON.stringify({ message_id: `m-${n}-${k}`, json_payload: { n, k } }) })),
          }),
        );
        for (const s of r.Successful ?? []) acked.add(s.MessageId!);
      } catch {
        return; // the stack is gone: this batch was never acknowledged
      }
    }
  });
  const consumer = (async () => {
    while (!stop) {
      try {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
        const msgs = r.Messages ?? [];
        if (msgs.length === 0) continue;
        const d = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle! })) }));
        for (const s of d.Successful ?? []) {
          const id = msgs[Number(s.Id!.slice(1))]?.MessageId;
          assert(id, `DeleteMessageBatch answered an Id it was not sent: ${s.Id}`);
          deleted.add(id);
        }
      } catch {
        return;
      }
    }
  })();

  await new Promise((r) => setTimeout(r, 1500));
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  stop = true;
  await Promise.all([...producers, consumer]);
  sqs.destroy();
  expect(acked.size).toBeGreaterThan(200);
  expect(deleted.size).toBeGreaterThan(0);

  const second = await startStack(dataDir);
  const sqs2 = new SQSClient({ region: 'eu-west-1', endpoint: second.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const survivors = new Set<string>();
  for (;;) {
    const r = await sqs2.send(new ReceiveMessageCommand({ QueueUrl: `${second.url}/000000000000/crash-q`, MaxNumberOfMessages: 10 }));
    if (!r.Messages) break;
    for (const m of r.Messages) survivors.add(m.MessageId!);
  }
  sqs2.destroy();
  second.child.kill('SIGKILL');

  const lost = [...acked].filter((id) => !deleted.has(id) && !survivors.has(id));
  const resurrected = [...deleted].filter((id) => survivors.has(id));
  expect({ lost: lost.length, resurrected: resurrected.length }).toEqual({ lost: 0, resurrected: 0 });
  // messages in flight at the kill (received, not yet deleted) are visible again
  expect(survivors.size).toBeGreaterThanOrEqual(acked.size - deleted.size);
});
