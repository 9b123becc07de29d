import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CRASH_STATE_ATTRIBUTE, handlerEnv, quarantineKey, type QuarantineRecord, type TopicRuntimeConfig } from '@lean-ops/contracts';
import { startFakeFirehose, type FakeFirehose } from '../../test/fake-firehose';
import { startFakeSqs, type FakeSqs } from '../../test/fake-sqs';
import { inspector } from '../../test/inspect';
import { createTables, startDynalite, startS3rver, useTestCredentials, type Running } from '../../test/local-servers';
import { contextWithBudget, sqsEvent, sqsRecord } from '../../test/sqs-event';
import { ARCHIVE_BUCKET, TABLES, envValues, queueUrl, topicConfig } from '../../test/topics';
import { readRecordMarker, setRunProgress, writeRecordMarker } from '../lib/crash-markers';
import { setLogSink } from '../lib/logger';
import { processorConfig } from './config';
import { DEFAULT_BUDGET } from '../core/invocation-budget';
import { processBatch } from './process-batch';

const orders = topicConfig('orders');
const SENT = Date.UTC(2026, 10, 26, 7, 59, 0);
const rec = (id: string, receiveCount = 1) =>
  sqsRecord({ body: `{"message_id":"${id}","json_payload":{"a":1}}`, queueName: orders.queueName, sentTimestamp: SENT, receiveCount, messageId: `sqs-${id}` });

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
  look = inspector(s3.url, ddb.url);
  setLogSink((l) => lines.push(l));
});

afterAll(async () => {
  look.destroy();
  await Promise.all([ddb.close(), s3.close(), firehose.close(), sqs.close()]);
});

beforeEach(() => {
  firehose.reset();
  sqs.reset();
  lines = [];
});

const atFakeSqs = (t: TopicRuntimeConfig): TopicRuntimeConfig => ({ ...t, queueUrl: queueUrl(sqs.url, t.queueName) });

/** Real clients whose every call is counted by service and operation. */
function countedDeps() {
  const calls: string[] = [];
  const count = <C extends { middlewareStack: { add: (...a: never[]) => void } }>(service: string, client: C): C => {
    (client.middlewareStack.add as (mw: unknown, opts: unknown) => void)(
      (next: (a: unknown) => unknown, context: { commandName: string }) => async (args: unknown) => {
        calls.push(`${service}:${context.commandName}`);
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    return client;
  };
  const config = processorConfig(handlerEnv('sqs-processor', envValues([atFakeSqs(orders)])));
  return {
    calls,
    deps: {
      config,
      firehose: count('firehose', new FirehoseClient({ endpoint: firehose.url })),
      s3: count('s3', new S3Client({ endpoint: s3.url, requestChecksumCalculation: 'WHEN_REQUIRED' as const })),
      dynamodb: count('dynamodb', new DynamoDBClient({ endpoint: ddb.url })),
      sqs: count('sqs', new SQSClient({ endpoint: sqs.url })),
    },
  };
}

const tally = (calls: string[]) => calls.reduce<Record<string, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {});

describe('crash isolation against dynalite, s3rver and stand-ins', () => {
  it('costs no call per record on a first receive: 1,000 records -> 2 PutRecordBatch + 2 checkpoint updates', async () => {
    const { calls, deps } = countedDeps();
    const res = await processBatch(sqsEvent(Array.from({ length: 1000 }, (_, i) => rec(`first-${i}`))), contextWithBudget(30_000), deps);
    expect(res.batchItemFailures).toEqual([]);
    expect(tally(calls)).toEqual({ 'firehose:PutRecordBatchCommand': 2, 'dynamodb:UpdateItemCommand': 2 });
  });

  it('a careful batch costs about 2 sqrt(n) sequential marker writes: 1,000 survivors', async () => {
    const { calls, deps } = countedDeps();
    const res = await processBatch(sqsEvent(Array.from({ length: 1000 }, (_, i) => rec(`many-${i}`, 2))), contextWithBudget(30_000), deps);
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered).toHaveLength(1000);
    // Markers read 100 and written 25 per call; 32 groups of 32 (one progress write each, one to close the run),
    // plus the received and outcome checkpoints.
    expect(tally(calls)).toEqual({
      'firehose:PutRecordBatchCommand': 2,
      'dynamodb:BatchGetItemCommand': 10,
      'dynamodb:BatchWriteItemCommand': 40,
      'dynamodb:UpdateItemCommand': 2 + 32 + 1,
    });
  });

  it('runs the records of the group a run died in alone and first, pinning none of them', async () => {
    const { deps } = countedDeps();
    const store = { ddb: deps.dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() };
    const ids = ['g0', 'g1', 'g2', 'g3'];
    for (const [seq, id] of ids.entries()) await writeRecordMarker(store, 'orders', `sqs-${id}`, 2, { crashes: 1, pins: 0 }, { run: { id: 'run-g', seq } });
    // The run died while processing the group [2, 4).
    await setRunProgress(store, 'orders', 'run-g', 2, 4);
    const res = await processBatch(sqsEvent(ids.map((id) => rec(id, 3))), contextWithBudget(30_000), { ...deps, config: { ...deps.config, maxReceiveCount: 5 } });
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered.map((r) => r.message_id).sort()).toEqual(ids);
    const markers = await Promise.all(ids.map((id) => readRecordMarker(store, 'orders', `sqs-${id}`)));
    expect(markers.map((m) => [m.crashPins, m.runSeq])).toEqual([
      [0, 2],
      [0, 3],
      [0, 0],
      [0, 1],
    ]);
  });

  it('processes crash survivors behind a progress marker and delivers them', async () => {
    const { deps } = countedDeps();
    const records = [rec('surv-1', 2), rec('surv-2', 2), rec('fresh-1')];
    const res = await processBatch(sqsEvent(records), contextWithBudget(30_000), deps);
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered.map((r) => r.message_id).sort()).toEqual(['fresh-1', 'surv-1', 'surv-2']);
    const marker = await readRecordMarker({ ddb: deps.dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() }, 'orders', 'sqs-surv-2');
    expect(marker).toMatchObject({ seenReceive: 2, crashCount: 1, crashPins: 0, runSeq: 1, runReceive: 2 });
  });

  it('pins a crash to the record being processed, and quarantines it as CRASHED_RUNTIME after 2 pinned crashes', async () => {
    const { deps } = countedDeps();
    const store = { ddb: deps.dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() };
    // Receive 2 of `poison`: a careful run was at its position when the invocation died (pinned once).
    await writeRecordMarker(store, 'orders', 'sqs-poison', 2, { crashes: 1, pins: 1 }, { run: { id: 'run-a', seq: 4 } });
    await setRunProgress(store, 'orders', 'run-a', 4);
    // A run-mate processed earlier in the same run is not pinned.
    await writeRecordMarker(store, 'orders', 'sqs-mate', 2, { crashes: 1, pins: 0 }, { run: { id: 'run-a', seq: 3 } });
    const poison = { ...rec('poison', 3), receiveCount: 3 };
    const res = await processBatch(sqsEvent([poison, rec('mate', 3)]), contextWithBudget(30_000), { ...deps, config: { ...deps.config, maxReceiveCount: 5 } });
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered.map((r) => r.message_id)).toEqual(['mate']);
    const q = (await look.object(ARCHIVE_BUCKET, quarantineKey('orders', new Date(SENT), 'poison'))) as unknown as QuarantineRecord;
    expect(q).toMatchObject({ reason: 'CRASHED_RUNTIME', crash_count: 2, sqs_message_id: 'sqs-poison' });
  });

  it('re-queues a crash survivor on its last receive (copy with its crash state) instead of risking the DLQ', async () => {
    const { calls, deps } = countedDeps();
    const res = await processBatch(sqsEvent([rec('last-1', 3)]), contextWithBudget(30_000), deps);
    expect(res.batchItemFailures).toEqual([]);
    expect(firehose.delivered).toEqual([]);
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.sent[0]).toMatchObject({ body: rec('last-1').body, attributes: { [CRASH_STATE_ATTRIBUTE]: '2:0:sqs-last-1' } });
    expect(sqs.deleted).toEqual(['rh-sqs-last-1']);
    expect(tally(calls)['sqs:DeleteMessageBatchCommand']).toBe(1);
  });

  it('never starts work it has no time for: returns it at once (visibility 0), re-queued instead on its last receive', async () => {
    const { deps } = countedDeps();
    const fresh = Array.from({ length: 400 }, (_, i) => rec(`late-${i}`));
    // 1.5 s left: 0.5 s beyond the reserve, too little for 400 records at an assumed cost of 2 ms x 2 (and enough
    // left for the pacing calls, which a smaller budget would skip on a loaded machine).
    const res = await processBatch(sqsEvent(fresh), contextWithBudget(1500), { ...deps, budget: { ...DEFAULT_BUDGET, initialPerRecordMs: 2 } });
    expect(res.batchItemFailures).toHaveLength(400);
    expect(firehose.delivered).toEqual([]);
    expect(new Set(sqs.visibilityCalls.flatMap((c) => c.entries.map((e) => e.VisibilityTimeout)))).toEqual(new Set([0]));

    sqs.reset();
    const last = Array.from({ length: 3 }, (_, i) => rec(`late-last-${i}`, 3));
    const store = { ddb: deps.dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() };
    // Answered at receive 2 (returned for retry): not crash survivors, just out of time now, on their last receive.
    for (const r of last) await writeRecordMarker(store, 'orders', r.messageId, 2, { crashes: 0, pins: 0 }, { answered: true });
    const budget = { getRemainingTimeInMillis: () => 1100 };
    const res2 = await processBatch(sqsEvent(last), budget, { ...deps, budget: { ...DEFAULT_BUDGET, initialPerRecordMs: 2 } });
    expect(res2.batchItemFailures).toEqual([]);
    expect(sqs.sent.map((m) => m.body).sort()).toEqual(last.map((r) => r.body).sort());
  });

  it('finishes and deletes records on their last receive before running crash survivors beside them', async () => {
    const { deps } = countedDeps();
    const store = { ddb: deps.dynamodb, table: TABLES.errors, ttlDays: 1, now: new Date() };
    const last = rec('lc-answered', 3);
    await writeRecordMarker(store, 'orders', last.messageId, 2, { crashes: 0, pins: 0 }, { answered: true });
    const res = await processBatch(sqsEvent([rec('lc-survivor', 2), last, rec('lc-fresh')]), contextWithBudget(30_000), deps);
    expect(res.batchItemFailures).toEqual([]);
    expect(sqs.deleted).toEqual([last.receiptHandle]);
    expect(firehose.delivered.map((r) => r.message_id)).toEqual(['lc-answered', 'lc-survivor', 'lc-fresh']);
  });
});
