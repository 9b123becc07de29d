import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { handlerEnv, minuteWindow } from '@lean-ops/contracts';
import { startFakeServer, type FakeServer } from '../../test/fake-aws-server';
import { createTables, startDynalite, useTestCredentials, type Running } from '../../test/local-servers';
import { TABLES, envValues, topicConfig } from '../../test/topics';
import { addCheckpointCounts } from '../lib/checkpoints';
import { setLogSink } from '../lib/logger';
import { handler } from './index';

let ddb: Running;
let sqs: FakeServer;
const lines: string[] = [];

beforeAll(async () => {
  useTestCredentials();
  ddb = await startDynalite();
  await createTables(ddb.url, TABLES);
  // SQS speaks awsJson1_0; the SDK sends to the queue URL's host, so the DLQ URL points here.
  sqs = await startFakeServer((req) =>
    req.target === 'AmazonSQS.GetQueueAttributes'
      ? {
          status: 200,
          body: JSON.stringify({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' } }),
          headers: { 'content-type': 'application/x-amz-json-1.0' },
        }
      : { status: 400, body: JSON.stringify({ __type: 'InvalidAction' }) },
  );
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.url;
  process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
  Object.assign(
    process.env,
    handlerEnv('water-balance', envValues([topicConfig('orders'), topicConfig('payments')], { waterBalanceWindowMinutes: 10, dlqUrl: `${sqs.url}/123456789012/lo-test-dlq` })),
  );
  setLogSink((l) => lines.push(l));
});

afterAll(async () => {
  await Promise.all([ddb.close(), sqs.close()]);
});

it('emits WaterBalanceGap per topic over the last complete minutes and logs the DLQ depth', async () => {
  const ddbClient = new DynamoDBClient({ endpoint: ddb.url });
  const now = Date.now();
  const minutesAgo = (m: number) => minuteWindow(new Date(now - m * 60_000));
  const add = (topic: string, window: string, c: Record<string, number>) => addCheckpointCounts(ddbClient, TABLES.checkpoints, topic, window, c, new Date(), 14);
  await add('orders', minutesAgo(2), { received: 10, delivered: 8, dropped: 1, retried: 1 });
  await add('orders', minutesAgo(3), { received: 5, delivered: 3, dropped: 0, retried: 0 }); // 2 unaccounted
  await add('orders', minutesAgo(30), { received: 100 }); // outside the window
  await add('orders', minutesAgo(0), { received: 7 }); // current minute, still being written
  await add('payments', minutesAgo(1), { received: 4, delivered: 4, dropped: 0, retried: 0 });
  ddbClient.destroy();

  const report = await handler();
  expect(report.topics.orders).toMatchObject({ received: 15, gap: 2, windows: 2 });
  expect(report.topics.payments).toMatchObject({ received: 4, gap: 0 });
  expect(report.dlqDepth).toBe(4);
  const emf = lines.map((l) => JSON.parse(l)).filter((d) => d._aws);
  expect(emf.map((d) => [d.Topic, d.WaterBalanceGap])).toEqual([
    ['orders', 2],
    ['payments', 0],
  ]);
  expect(lines.some((l) => l.includes('"WATER_BALANCE"') && l.includes('"unbalanced":["orders"]'))).toBe(true);
});
