import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { dlqArchiveKey, handlerEnv, minuteWindow, names, type DlqArchiveRecord } from '@lean-ops/contracts';
import { startFakeSqs, type FakeSqs } from '../../test/fake-sqs';
import { inspector } from '../../test/inspect';
import { createTables, startDynalite, startS3rver, useTestCredentials, type Running } from '../../test/local-servers';
import { queueArn, sqsEvent, sqsRecord } from '../../test/sqs-event';
import { ARCHIVE_BUCKET, PREFIX, TABLES, envValues, queueUrl, topicConfig } from '../../test/topics';
import { setLogSink } from '../lib/logger';
import { sha256Hex } from '../lib/sha256';
import { dlqConfig } from './config';
import { handler } from './index';
import { processDlqBatch } from './process-dlq';

const orders = topicConfig('orders');
const DLQ = names.dlq(PREFIX);
const SENT = Date.UTC(2026, 10, 20, 23, 59, 0);

const deadLetter = (body: string, messageId: string, sourceQueue: string | null = orders.queueName, receiveCount = 4) =>
  sqsRecord({
    body,
    messageId,
    queueName: DLQ,
    sentTimestamp: SENT,
    receiveCount,
    extraAttributes: sourceQueue ? { DeadLetterQueueSourceArn: queueArn(sourceQueue) } : {},
  });

let ddb: Running;
let s3: Running;
let sqs: FakeSqs;
let look: ReturnType<typeof inspector>;
/** The DLQ processor's environment, its DLQ URL on the SQS stand-in. */
const dlqEnv = () => handlerEnv('dlq-processor', envValues([orders], { dlqUrl: queueUrl(sqs.url, DLQ) }));

beforeAll(async () => {
  useTestCredentials();
  [ddb, s3, sqs] = await Promise.all([startDynalite(), startS3rver([ARCHIVE_BUCKET]), startFakeSqs()]);
  await createTables(ddb.url, TABLES);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.url;
  process.env.AWS_ENDPOINT_URL_S3 = s3.url;
  process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
  Object.assign(process.env, dlqEnv());
  look = inspector(s3.url, ddb.url);
  setLogSink(() => undefined);
});

afterAll(async () => {
  look.destroy();
  await Promise.all([ddb.close(), s3.close(), sqs.close()]);
});

beforeEach(() => sqs.reset());

describe('dlq-processor handler against dynalite and s3rver', () => {
  it('archives body, attributes and receive count, and upserts the error tracker', async () => {
    const body = '{"message_id":"ord-1","json_payload":{"id":1}}';
    const res = await handler(sqsEvent([deadLetter(body, 'sqs-d1')]));
    expect(res.batchItemFailures).toEqual([]);
    expect(sqs.visibilityCalls).toEqual([]);
    const key = dlqArchiveKey('orders', new Date(SENT), 'ord-1');
    expect(key).toBe('dlq-archive/topic=orders/dt=2026-11-20/ord-1.json');
    const obj = (await look.object(ARCHIVE_BUCKET, key)) as unknown as DlqArchiveRecord;
    expect(obj).toMatchObject({ topic_name: 'orders', message_id: 'ord-1', sqs_message_id: 'sqs-d1', receive_count: 4, body, payload_sha256: sha256Hex(body) });
    expect(obj.source_queue_arn).toBe(orders.queueArn);
    expect(obj.attributes.SentTimestamp).toBe(String(SENT));
    const item = await look.errorItem(TABLES.errors, 'orders', 'ord-1');
    expect(item).toMatchObject({ status: 'DLQ_ARCHIVED', error_class: 'RETRIES_EXHAUSTED', archive_key: key, receive_count: 4, payload_sha256: sha256Hex(body), source_queue: orders.queueName });
    expect(Number(item!.expires_at)).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);
    const cp = await look.checkpoint(TABLES.checkpoints, 'orders', minuteWindow(new Date()));
    expect(Number(cp?.dlq_archived)).toBeGreaterThanOrEqual(1);
  });

  it('is idempotent: the same message twice gives one object and one item, first_seen kept', async () => {
    const body = '{"message_id":"ord-2","json_payload":{"id":2}}';
    await handler(sqsEvent([deadLetter(body, 'sqs-d2')]));
    const first = await look.errorItem(TABLES.errors, 'orders', 'ord-2');
    await new Promise((r) => setTimeout(r, 5));
    const res = await handler(sqsEvent([deadLetter(body, 'sqs-d2', orders.queueName, 5)]));
    expect(res.batchItemFailures).toEqual([]);
    expect(await look.keys(ARCHIVE_BUCKET, 'dlq-archive/topic=orders/dt=2026-11-20/ord-2')).toEqual(['dlq-archive/topic=orders/dt=2026-11-20/ord-2.json']);
    const second = await look.errorItem(TABLES.errors, 'orders', 'ord-2');
    expect(second!.first_seen).toBe(first!.first_seen);
    expect(second!.receive_count).toBe(5);
  });

  it('files unparseable bodies under the SQS id, and unknown sources by the body topic or unknown', async () => {
    const res = await handler(sqsEvent([deadLetter('\u0000garbage', 'sqs-d3'), deadLetter('{"topic":"payments","x":1}', 'sqs-d4', null)]));
    expect(res.batchItemFailures).toEqual([]);
    expect(await look.object(ARCHIVE_BUCKET, dlqArchiveKey('orders', new Date(SENT), 'sqs-d3'))).toMatchObject({ body: '\u0000garbage' });
    expect(await look.object(ARCHIVE_BUCKET, dlqArchiveKey('payments', new Date(SENT), 'sqs-d4'))).toBeDefined();
  });

  it('keeps the message in the DLQ when S3 is down (no tracker item written), back after its retry backoff', async () => {
    const config = dlqConfig(dlqEnv());
    const deps = {
      config,
      s3: new S3Client({ endpoint: 'http://127.0.0.1:1', requestChecksumCalculation: 'WHEN_REQUIRED' as const, maxAttempts: 1 }),
      dynamodb: new DynamoDBClient({ endpoint: ddb.url }),
      sqs: new SQSClient({}),
    };
    const rec = deadLetter('{"message_id":"ord-5","json_payload":{}}', 'sqs-d5');
    expect(await processDlqBatch(sqsEvent([rec]), deps)).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-d5' }] });
    expect(await look.errorItem(TABLES.errors, 'orders', 'ord-5')).toBeUndefined();
    // Fourth receive: 10 s x 2^3.
    expect(sqs.visibilityCalls).toEqual([{ queueUrl: queueUrl(sqs.url, DLQ), entries: [{ Id: 'r0', ReceiptHandle: rec.receiptHandle, VisibilityTimeout: 80 }] }]);
  });

  it('keeps the message in the DLQ when DynamoDB is down; the retry later rewrites the same object', async () => {
    const config = dlqConfig(dlqEnv());
    const s3Client = new S3Client({ endpoint: s3.url, requestChecksumCalculation: 'WHEN_REQUIRED' as const });
    const sqsClient = new SQSClient({});
    const down = { config, s3: s3Client, dynamodb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:1', maxAttempts: 1 }), sqs: sqsClient };
    const rec = deadLetter('{"message_id":"ord-6","json_payload":{}}', 'sqs-d6');
    const ok = deadLetter('{"message_id":"ord-7","json_payload":{}}', 'sqs-d7');
    expect(await processDlqBatch(sqsEvent([rec, ok]), down)).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-d6' }, { itemIdentifier: 'sqs-d7' }] });
    expect(sqs.visibilityCalls.map((c) => c.entries.map((e) => e.ReceiptHandle))).toEqual([[rec.receiptHandle, ok.receiptHandle]]);

    sqs.reset();
    const up = { config, s3: s3Client, dynamodb: new DynamoDBClient({ endpoint: ddb.url }), sqs: sqsClient };
    expect(await processDlqBatch(sqsEvent([rec]), up)).toEqual({ batchItemFailures: [] });
    expect(sqs.visibilityCalls).toEqual([]);
    expect(await look.keys(ARCHIVE_BUCKET, 'dlq-archive/topic=orders/dt=2026-11-20/ord-6')).toHaveLength(1);
    expect(await look.errorItem(TABLES.errors, 'orders', 'ord-6')).toMatchObject({ status: 'DLQ_ARCHIVED' });
  });
});
