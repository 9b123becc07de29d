import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CHECKPOINTS, DIMENSIONS, METRICS, METRICS_NAMESPACE, handlerEnv, minuteWindow, quarantineKey, type QuarantineRecord, type TopicRuntimeConfig } from '@lean-ops/contracts';
import { BAD_INPUTS } from '../../test/bad-inputs';
import { startFakeFirehose, type FakeFirehose } from '../../test/fake-firehose';
import { startFakeSqs, type FakeSqs } from '../../test/fake-sqs';
import { inspector, parseLines } from '../../test/inspect';
import { createTables, startDynalite, startS3rver, useTestCredentials, type Running } from '../../test/local-servers';
import { contextWithBudget, sqsEvent, sqsRecord } from '../../test/sqs-event';
import { ARCHIVE_BUCKET, PREFIX, TABLES, envValues, queueUrl, topicConfig } from '../../test/topics';
import { writeRecordMarker } from '../lib/crash-markers';
import { setLogSink } from '../lib/logger';
import { processorConfig } from './config';
import { handler } from './index';
import { processBatch, UnreportableFailureError } from './process-batch';
import assert from 'node:assert/strict';

const orders = topicConfig('orders');
const queue = orders.queueName;
const SENT = Date.UTC(2026, 10, 26, 7, 59, 0);
const good = (id: string, payload = `{"id":"${id}","a":1}`) => sqsRecord({ body: `{"message_id":"${id}","json_payload":${payload}}`, queueName: queue, sentTimestamp: SENT });

let ddb: Running;
let s3: Running;
let firehose: FakeFirehose;
let sqs: FakeSqs;
let look: ReturnType<typeof inspector>;
let lines: string[] = [];

beforeAll(async () => {
  useTestCredentials();
  [ddb, s3, firehose, sqs] = await Promise.all([startDynalite(), startS3rver([ARCHIVE_BUCKET]), startFakeFirehose(), startFakeSqs()]);
  await createTables(ddb.url, TABLES);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.url;
  process.env.AWS_ENDPOINT_URL_S3 = s3.url;
  process.env.AWS_ENDPOINT_URL_FIREHOSE = firehose.url;
  process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
  Object.assign(process.env, handlerEnv('sqs-processor', envValues([orders, topicConfig('payments')].map(atFakeSqs))));
  look = inspector(s3.url, ddb.url);
  setLogSink((l) => lines.push(l));
});

afterAll(async () => {
  look.destroy();
  await Promise.all([ddb.close(), s3.close(), firehose.close(), sqs.close()]);
});

/** The topic with its queue URL on the SQS stand-in. */
const atFakeSqs = (t: TopicRuntimeConfig): TopicRuntimeConfig => ({ ...t, queueUrl: queueUrl(sqs.url, t.queueName) });

beforeEach(() => {
  firehose.reset();
  sqs.reset();
  lines = [];
});

const logs = () => parseLines(lines);

describe('sqs-processor handler against dynalite, s3rver and a Firehose stand-in', () => {
  it('puts every bad-input kind where it belongs: RAW, or quarantine + error tracker, with the reason logged', async () => {
    const records = BAD_INPUTS.map((c, i) => sqsRecord({ body: c.body.replace('"message_id":"m-1"', `"message_id":"bad-${i}"`), queueName: queue, sentTimestamp: SENT, messageId: `sqs-bad-${i}` }));
    const res = await handler(sqsEvent(records), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([]);

    const deliveredIds = new Set(firehose.delivered.map((r) => r.message_id));
    for (const [i, c] of BAD_INPUTS.entries()) {
      const body = records[i]?.body;
      assert(body !== undefined);
      const producerId = body.includes(`"message_id":"bad-${i}"`) ? `bad-${i}` : undefined;
      if (c.expect === 'deliver') {
        const row = firehose.delivered.find((r) => r.message_id === (producerId ?? `sqs-bad-${i}`));
        expect(row).toBeDefined();
        if (c.payloadText !== undefined) expect(row!.json_payload).toBe(c.payloadText);
        // Firehose's Iceberg destination takes timestamps only as microseconds (apache-iceberg-destination-supp).
        expect(Number.isSafeInteger(row!.ingested_at) && row!.ingested_at > Date.parse('2020-01-01T00:00:00Z') * 1000).toBe(true);
        expect(row!.event_time === null || Number.isSafeInteger(row!.event_time)).toBe(true);
        continue;
      }
      // DROP: quarantined under the producer id when readable, else the SQS id.
      const candidates = [producerId, `sqs-bad-${i}`].filter((x): x is string => !!x);
      let found: { id: string; obj: Record<string, unknown> } | undefined;
      for (const id of candidates) {
        const obj = await look.object(ARCHIVE_BUCKET, quarantineKey('orders', new Date(SENT), id));
        if (obj) found = { id, obj };
      }
      expect({ case: c.name, found: !!found }).toEqual({ case: c.name, found: true });
      const q = found!.obj as unknown as QuarantineRecord;
      expect({ case: c.name, reason: q.reason }).toEqual({ case: c.name, reason: c.expect });
      expect(q.body).toBe(body);
      expect(q.sqs_message_id).toBe(`sqs-bad-${i}`);
      const item = await look.errorItem(TABLES.errors, 'orders', found!.id);
      expect(item).toMatchObject({ status: 'QUARANTINED', error_class: c.expect, archive_key: quarantineKey('orders', new Date(SENT), found!.id), receive_count: 1 });
      expect(logs().some((l) => l.message === 'DROPPING' && l.reason === c.expect && l.message_id === found!.id && l.topic === 'orders')).toBe(true);
      expect(deliveredIds.has(found!.id)).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('re-sends Firehose per-record failures and reports only persistent ones', async () => {
    const records = Array.from({ length: 50 }, (_, i) => good(`pf-${i}`));
    // 20% fail once; pf-7 fails every time.
    firehose.faults = { failRecord: (row, times) => row.message_id === 'pf-7' || (times === 1 && Number(row.message_id.slice(3)) % 5 === 0) };
    const res = await handler(sqsEvent(records), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: records[7]?.messageId }]);
    expect(new Set(firehose.delivered.map((r) => r.message_id)).size).toBe(49);
    expect(firehose.calls).toBe(3);
    const window = minuteWindow(new Date());
    const emf = logs()
      .filter((l) => l._aws && l.Topic === 'orders')
      .pop();
    expect(emf).toMatchObject({ RecordsReceived: 50, RecordsDelivered: 49, RecordsDropped: 0, RecordsFailed: 1, FirehoseCalls: 3 });
    const cp = await look.checkpoint(TABLES.checkpoints, 'orders', window);
    expect(cp).toBeDefined();
    expect(Number(cp!.received)).toBe(Number(cp!.delivered) + Number(cp!.dropped) + Number(cp!.retried));
  });

  it('rides out a short throttle, and returns everything when throttling persists', async () => {
    firehose.faults = { throttleNextCalls: 1 };
    const a = [good('th-1'), good('th-2')];
    expect((await handler(sqsEvent(a), contextWithBudget(30_000))).batchItemFailures).toEqual([]);
    expect(firehose.delivered.map((r) => r.message_id)).toEqual(['th-1', 'th-2']);

    firehose.reset();
    firehose.faults = { throttleNextCalls: 100 };
    const b = [good('th-3'), good('th-4')];
    const res = await handler(sqsEvent(b), contextWithBudget(30_000));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(b.map((r) => r.messageId).sort());
    expect(logs().some((l) => l.message === 'RETRYING' && l.reason === 'SERVICE_UNAVAILABLE')).toBe(true);
  });

  it('bisects a poison record out of a full batch: 99 delivered, 1 quarantined as FIREHOSE_REJECTED', async () => {
    const records = Array.from({ length: 100 }, (_, i) => good(`po-${i}`, i === 42 ? '{"id":"poison","a":1}' : `{"id":"${i}","a":1}`));
    firehose.faults = { rejectCallIf: (row) => row.json_payload.includes('poison') };
    const res = await handler(sqsEvent(records), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered).toHaveLength(99);
    const q = await look.object(ARCHIVE_BUCKET, quarantineKey('orders', new Date(SENT), 'po-42'));
    expect(q).toMatchObject({ reason: 'FIREHOSE_REJECTED', message_id: 'po-42' });
    expect(await look.errorItem(TABLES.errors, 'orders', 'po-42')).toMatchObject({ status: 'QUARANTINED', error_class: 'FIREHOSE_REJECTED' });
  });

  it('packs 1,000 records into two 500-record calls', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => good(`bulk-${i}`));
    const res = await handler(sqsEvent(records), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.calls).toBe(2);
    expect(firehose.delivered).toHaveLength(1000);
  });

  it('returns a record to the queue when its quarantine cannot be written (never lost)', async () => {
    const config = { ...processorConfig(handlerEnv('sqs-processor', envValues([atFakeSqs(orders)]))), archiveBucket: 'no-such-bucket' };
    const clients = {
      firehose: new FirehoseClient({ endpoint: firehose.url }),
      s3: new S3Client({ endpoint: s3.url, requestChecksumCalculation: 'WHEN_REQUIRED' as const, maxAttempts: 1 }),
      dynamodb: new DynamoDBClient({ endpoint: ddb.url }),
      sqs: new SQSClient({}),
    };
    const bad = sqsRecord({ body: 'not json', queueName: queue });
    const ok = good('qf-1');
    const res = await processBatch(sqsEvent([bad, ok]), contextWithBudget(30_000), { config, ...clients });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(firehose.delivered.map((r) => r.message_id)).toEqual(['qf-1']);
    expect(logs().some((l) => l.message === 'QUARANTINE_FAILED')).toBe(true);
    expect(sqs.visibilityCalls.flatMap((c) => c.entries.map((e) => e.ReceiptHandle))).toEqual([bad.receiptHandle]);
  });

  it('paces each RETRY record on its own queue: visibility min(base * 2^(receives - 1), max), delivered records untouched', async () => {
    const payments = topicConfig('payments');
    const first = sqsRecord({ body: '{"message_id":"rv-1","json_payload":{"a":1}}', queueName: queue, receiveCount: 1 });
    const third = sqsRecord({ body: '{"message_id":"rv-2","json_payload":{"a":1}}', queueName: queue, receiveCount: 3 });
    const late = sqsRecord({ body: '{"message_id":"rv-3","json_payload":{"a":1}}', queueName: payments.queueName, receiveCount: 9 });
    const fine = good('rv-ok');
    firehose.faults = { failRecord: (row) => row.message_id !== 'rv-ok' };
    // Returned for retry on their previous receive (not crash survivors, which crash isolation would take).
    const dynamodb = new DynamoDBClient({ endpoint: ddb.url });
    const store = { ddb: dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() };
    await writeRecordMarker(store, 'orders', third.messageId, 2, { crashes: 0, pins: 0 }, { answered: true });
    await writeRecordMarker(store, 'payments', late.messageId, 8, { crashes: 0, pins: 0 }, { answered: true });
    dynamodb.destroy();
    const res = await handler(sqsEvent([first, fine, third, late]), contextWithBudget(30_000));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([first, third, late].map((r) => r.messageId).sort());
    const calls = [...sqs.visibilityCalls].sort((a, b) => a.queueUrl.localeCompare(b.queueUrl));
    expect(calls.map((c) => [c.queueUrl, c.entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout])])).toEqual([
      [
        queueUrl(sqs.url, orders.queueName),
        [
          [first.receiptHandle, 10],
          [third.receiptHandle, 40],
        ],
      ],
      [queueUrl(sqs.url, payments.queueName), [[late.receiptHandle, 300]]],
    ]);
  });

  it('counts received before processing and the outcomes after it, first receives apart from retries, and in the EMF metrics', async () => {
    // Receive 3 of 5: records seen before run the careful path (no markers: crash survivors, processed one by one).
    const config = processorConfig(handlerEnv('sqs-processor', envValues([atFakeSqs(orders)], { maxReceiveCount: 5 })));
    const dynamodb = new DynamoDBClient({ endpoint: ddb.url });
    const clients = {
      firehose: new FirehoseClient({ endpoint: firehose.url }),
      s3: new S3Client({ endpoint: s3.url, requestChecksumCalculation: 'WHEN_REQUIRED' as const }),
      dynamodb,
      sqs: new SQSClient({ endpoint: sqs.url }),
    };
    // A window of its own: no other test writes to this minute.
    const at = new Date(Date.UTC(2026, 10, 26, 6, 30, 15));
    const rec = (id: string, receiveCount: number) => sqsRecord({ body: `{"message_id":"${id}","json_payload":{"a":1}}`, queueName: queue, receiveCount });
    const batch = [rec('fa-ok-1', 1), rec('fa-ok-2', 1), rec('fa-bad-1', 1), rec('fa-ok-3', 3), rec('fa-bad-3a', 3), rec('fa-bad-3b', 3)];
    const malformed = sqsRecord({ body: 'not json', queueName: queue, receiveCount: 1 });
    firehose.faults = { failRecord: (row) => row.message_id.startsWith('fa-bad') };
    const updates: string[] = [];
    dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand') updates.push(String((args.input as { TableName?: string }).TableName));
        return next(args);
      },
      { step: 'initialize', name: 'countUpdates' },
    );
    try {
      const res = await processBatch(sqsEvent([...batch, malformed]), contextWithBudget(30_000), { config, ...clients, now: () => at });
      expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([batch[2], batch[4], batch[5]].map((r) => r?.messageId).sort());
      // One ADD of `received` before any outcome (a crash after it leaves a water-balance gap), one of the outcomes.
      expect(updates.filter((t) => t === TABLES.checkpoints)).toHaveLength(2);
    } finally {
      dynamodb.destroy();
    }
    const cp = await look.checkpoint(TABLES.checkpoints, 'orders', minuteWindow(at));
    expect(cp).toMatchObject({
      [CHECKPOINTS.attributes.received]: 7,
      [CHECKPOINTS.attributes.delivered]: 3,
      [CHECKPOINTS.attributes.dropped]: 1,
      [CHECKPOINTS.attributes.retried]: 3,
      [CHECKPOINTS.attributes.firstReceived]: 4,
      [CHECKPOINTS.attributes.firstFailed]: 1,
    });
    const emf = logs()
      .filter((l) => l._aws && l.Topic === 'orders')
      .pop();
    expect(emf).toMatchObject({ [METRICS.received]: 7, [METRICS.failed]: 3, [METRICS.firstAttemptReceived]: 4, [METRICS.firstAttemptFailed]: 1 });
    const declared = (emf!._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0];
    assert(declared);
    expect(declared.Namespace).toBe(METRICS_NAMESPACE);
    expect(declared.Dimensions).toEqual([[DIMENSIONS.topic]]);
    expect(declared.Metrics.map((m) => m.Name)).toEqual(expect.arrayContaining([METRICS.firstAttemptReceived, METRICS.firstAttemptFailed]));
  });

  it('paces more than 10 RETRY records in calls of at most 10 entries', async () => {
    firehose.faults = { throttleNextCalls: 100 };
    const records = Array.from({ length: 12 }, (_, i) => good(`rv-many-${i}`));
    const res = await handler(sqsEvent(records), contextWithBudget(30_000));
    expect(res.batchItemFailures).toHaveLength(12);
    expect(sqs.visibilityCalls.map((c) => c.entries.length)).toEqual([10, 2]);
    expect(new Set(sqs.visibilityCalls.flatMap((c) => c.entries.map((e) => e.ReceiptHandle)))).toEqual(new Set(records.map((r) => r.receiptHandle)));
  });

  it('answers as usual when SQS refuses the pacing call: the record waits its normal visibility timeout', async () => {
    sqs.down = true;
    firehose.faults = { failRecord: () => true };
    const r = good('rv-down');
    const res = await handler(sqsEvent([r]), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: r.messageId }]);
    expect(logs().some((l) => l.message === 'VISIBILITY_CHANGE_FAILED')).toBe(true);
  });

  it('sends records from an unknown queue back, and never builds an empty itemIdentifier', async () => {
    const stray = sqsRecord({ body: '{"json_payload":{}}', queueName: `${PREFIX}-nope` });
    const res = await handler(sqsEvent([stray, good('ok-1')]), contextWithBudget(30_000));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: stray.messageId }]);

    const nameless = { ...sqsRecord({ body: '{"json_payload":{}}', queueName: `${PREFIX}-nope` }), messageId: '' };
    await expect(handler(sqsEvent([nameless]), contextWithBudget(30_000))).rejects.toBeInstanceOf(UnreportableFailureError);
    expect(logs().some((l) => l.message === 'UNREPORTABLE_FAILURE')).toBe(true);
  });

  it('answers an empty or malformed event with no failures', async () => {
    expect(await handler({ Records: [] }, contextWithBudget(30_000))).toEqual({ batchItemFailures: [] });
    expect(await handler({} as never, contextWithBudget(30_000))).toEqual({ batchItemFailures: [] });
  });
});
