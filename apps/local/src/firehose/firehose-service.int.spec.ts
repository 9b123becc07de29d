import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  PutRecordCommand,
  DescribeDeliveryStreamCommand,
  InvalidArgumentException,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { S3Client, PutObjectCommand, GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { readRows, readTableState, appendRows } from '@lean-ops/iceberg';
import { FIREHOSE_ICEBERG_METRICS, FIREHOSE_METRICS_NAMESPACE, type RawRow } from '@lean-ops/contracts';
import { FaultRegistry } from '../faults/fault-registry';
import { startS3, S3RVER_CREDENTIALS, type EmbeddedServer } from '../embedded';
import { startServer, type RunningServer } from '../server';
import { MetricStore } from '../cloudwatch/metric-store';
import { FirehoseService, type FirehoseStreamConfig } from './firehose-service';
import { BufferJournal } from './buffer-journal';
import { streamPaths } from './delivery-stream';
import assert from 'node:assert/strict';

const region = 'us-east-1';
const STREAM = 'lo-raw';
const DB = 'lo_lake';
const TABLE = 'raw_events';
const BUCKET = 'lo-archive';
const enc = new TextEncoder();

const row = (i: number, extra: Partial<RawRow> = {}): RawRow => ({
  topic_name: 'orders',
  message_id: `m-${i}`,
  event_time: 1795680000000000,
  ingested_at: 1795680001000000,
  json_payload: JSON.stringify({ n: i, big: 12345678901234567890n.toString(), s: 'héllo ✓' }),
  drift_fields: i % 2 ? ['x'] : [],
  receive_count: 1,
  source_queue: 'lo-orders',
  ...extra,
});
const recordsOf = (rows: unknown[]) => rows.map((r) => ({ Data: enc.encode(JSON.stringify(r)) }));

describe('Firehose stand-in with @aws-sdk/client-firehose', () => {
  let dataDir: string;
  let s3: EmbeddedServer;
  let s3Client: S3Client;
  let endpoint: RunningServer;
  let firehose: FirehoseService;
  let client: FirehoseClient;
  let faults: FaultRegistry;
  const metrics = new MetricStore();

  const config: FirehoseStreamConfig = {
    name: STREAM,
    database: DB,
    table: TABLE,
    bufferSizeMb: 64,
    bufferIntervalSeconds: 3600,
    retryDurationSeconds: 300,
    localRetryDurationSeconds: 1,
    errorOutputBucket: BUCKET,
  };
  const makeService = (dir: string, cfg: Partial<FirehoseStreamConfig> = {}, tickMs = 50) =>
    new FirehoseService({
      region,
      dataDir: dir,
      streams: [{ ...config, ...cfg }],
      faults,
      onMetric: (dp) => metrics.put(dp),
      tickMs,
      writeErrorObject: async (bucket, key, body) => void (await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }))),
    });
  const location = () => streamPaths(dataDir, DB, TABLE, STREAM).tableLocation;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lo-firehose-'));
    s3 = await startS3({ dataDir: join(dataDir, 's3'), buckets: [BUCKET] });
    s3Client = new S3Client({ region, endpoint: s3.url, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
    faults = new FaultRegistry();
    firehose = makeService(dataDir);
    await firehose.open();
    endpoint = await startServer({ services: [firehose] });
    // One attempt: the tests look at each answer the stand-in gives, not at the SDK's retries.
    client = new FirehoseClient({ region, endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    await firehose.close();
    s3Client.destroy();
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('describes the stream as an ACTIVE Iceberg destination', async () => {
    const d = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }));
    expect(d.DeliveryStreamDescription).toMatchObject({ DeliveryStreamName: STREAM, DeliveryStreamStatus: 'ACTIVE', DeliveryStreamType: 'DirectPut' });
    expect(d.DeliveryStreamDescription?.Destinations?.[0]?.IcebergDestinationDescription).toMatchObject({
      DestinationTableConfigurationList: [{ DestinationDatabaseName: DB, DestinationTableName: TABLE }],
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 3600 },
      RetryOptions: { DurationInSeconds: 300 },
    });
    await expect(client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('buffers PutRecordBatch records and commits them as one snapshot on flush', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i));
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf(rows) }));
    expect(out.FailedPutCount).toBe(0);
    expect(new Set(out.RequestResponses!.map((r) => r.RecordId)).size).toBe(500);
    expect((await readTableState(location())).snapshots).toHaveLength(0);
    await firehose.flush();
    const state = await readTableState(location());
    expect(state.snapshots.map((s) => s.addedRecords)).toEqual([500]);
    const back = await readRows(location());
    expect(back).toHaveLength(500);
    const [landed, sent] = [back[7], rows[7]];
    assert(landed && sent);
    expect(landed.json_payload).toBe(sent.json_payload);
    expect(landed.drift_fields).toEqual(['x']);
    expect(firehose.metrics(STREAM)).toMatchObject({ IncomingRowCount: 500, SuccessfulRowCount: 500, FailedRowCount: 0 });
    expect(metrics.total({ namespace: FIREHOSE_METRICS_NAMESPACE, name: FIREHOSE_ICEBERG_METRICS.successfulRows, dimensions: { DeliveryStreamName: STREAM } })).toBe(500);
  });

  it('enforces the call limits as AWS answers them', async () => {
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf(Array.from({ length: 501 }, (_, i) => row(i))) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = { Data: new Uint8Array(1000 * 1024 + 1) };
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [big] }))).rejects.toMatchObject({ name: 'ValidationException' });
    const chunk = { Data: new Uint8Array(1000 * 1024) };
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: Array(5).fill(chunk) }))).rejects.toBeInstanceOf(InvalidArgumentException);
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: recordsOf([row(1)]) }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('sends a record that does not fit the table to the error output after the retry duration', async () => {
    const bad = { ...row(9000), unexpected_column: 1 };
    const before = firehose.metrics(STREAM);
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(9001), bad]) }));
    expect(out.FailedPutCount).toBe(0);
    await firehose.flush();
    expect(firehose.metrics(STREAM).FailedRowCount).toBe(before.FailedRowCount);
    const keys: string[] = [];
    const started = Date.now();
    while (keys.length === 0 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      for await (const page of paginateListObjectsV2({ client: s3Client }, { Bucket: BUCKET, Prefix: 'firehose-errors/' })) keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    expect(keys).toHaveLength(1);
    expect(keys[0]?.startsWith(`firehose-errors/iceberg-failed/${day}/${STREAM}-1-`)).toBe(true);
    const body = await (await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0] }))).Body!.transformToString();
    const lines = body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ errorCode: 'Iceberg.UnknownColumnWithinRecord', attemptsMade: expect.any(Number) });
    expect(lines[0].attemptEndingTimestamp - lines[0].arrivalTimestamp).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(Buffer.from(lines[0].rawData, 'base64').toString('utf8'))).toEqual(bad);
    expect(firehose.metrics(STREAM).FailedRowCount).toBe(before.FailedRowCount + 1);
    const ids = (await readRows(location())).map((r) => r.message_id);
    expect(ids).toContain('m-9001');
    expect(ids).not.toContain('m-9000');
  });

  it('writes a row with microsecond timestamps and sends the same row with an ISO timestamp to the error output', async () => {
    const micros = row(9100);
    const iso = { ...row(9101), ingested_at: '2026-11-26T08:00:01.000Z' };
    const errorKeysBefore = new Set<string>();
    for await (const page of paginateListObjectsV2({ client: s3Client }, { Bucket: BUCKET, Prefix: 'firehose-errors/' })) for (const o of page.Contents ?? []) errorKeysBefore.add(o.Key!);
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([micros, iso]) }));
    expect(out.FailedPutCount).toBe(0);
    await firehose.flush();
    const lines: Array<{ errorCode: string; errorMessage: string; rawData: string }> = [];
    const started = Date.now();
    while (lines.length === 0 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      for await (const page of paginateListObjectsV2({ client: s3Client }, { Bucket: BUCKET, Prefix: 'firehose-errors/' })) {
        for (const o of page.Contents ?? []) {
          if (errorKeysBefore.has(o.Key!)) continue;
          const body = await (await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }))).Body!.transformToString();
          lines.push(
            ...body
              .trimEnd()
              .split('\n')
              .map((l) => JSON.parse(l)),
          );
        }
      }
    }
    expect(lines).toHaveLength(1);
    const [line] = lines;
    assert(line);
    expect(line.errorCode).toBe('Iceberg.SchemaMismatch');
    expect(line.errorMessage).toMatch(/ingested_at.*epoch microseconds.*\[rule timestamps-are-microseconds\]/);
    expect(JSON.parse(Buffer.from(line.rawData, 'base64').toString('utf8')).message_id).toBe('m-9101');
    const back = (await readRows(location())).filter((r) => r.message_id === 'm-9100' || r.message_id === 'm-9101');
    expect(back.map((r) => r.message_id)).toEqual(['m-9100']);
    expect(back[0]?.ingested_at).toBe('2026-11-26T08:00:01.000Z');
  });

  it('honours per-message faults from the registry', async () => {
    faults.register('sqs-1', JSON.stringify({ message_id: 'f-reject', _fault: 'firehose_reject', json_payload: {} }));
    faults.register('sqs-2', JSON.stringify({ message_id: 'f-once', _fault: 'firehose_throttle_once', json_payload: {} }));
    faults.register('sqs-3', JSON.stringify({ message_id: 'f-proc', _fault: 'processing_error', json_payload: {} }));
    for (let i = 0; i < 2; i++) {
      await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(1), row(2, { message_id: 'f-reject' })]) }))).rejects.toBeInstanceOf(
        InvalidArgumentException,
      );
    }
    const first = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(3, { message_id: 'f-once' }), row(4, { message_id: 'f-proc' }), row(5, { message_id: 'ok-5' })]) }),
    );
    expect(first.FailedPutCount).toBe(2);
    expect(first.RequestResponses!.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ServiceUnavailableException', 'InternalFailure', 'ok']);
    expect(first.RequestResponses![0]?.ErrorMessage).toBe('Slow down.');
    const second = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(3, { message_id: 'f-once' }), row(4, { message_id: 'f-proc' })]) }));
    expect(second.RequestResponses!.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ok', 'InternalFailure']);
    const third = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(4, { message_id: 'f-proc' })]) }));
    expect(third.FailedPutCount).toBe(1);
    await expect(client.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: recordsOf([row(6, { message_id: 'f-reject' })])[0] }))).rejects.toBeInstanceOf(InvalidArgumentException);
    await firehose.flush();
    const ids = (await readRows(location())).map((r) => r.message_id);
    expect(ids.filter((id) => id === 'f-once')).toHaveLength(1);
    expect(ids).not.toContain('f-proc');
    expect(ids).not.toContain('f-reject');
  });

  it('applies runtime chaos: whole-call throttling and per-record failures', async () => {
    firehose.setFaults({ throttleUntil: Date.now() + 60_000 });
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf([row(1)]) }))).rejects.toBeInstanceOf(ServiceUnavailableException);
    firehose.setFaults({ perRecordFailureRate: 0.5 });
    const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: recordsOf(Array.from({ length: 200 }, (_, i) => row(20_000 + i))) }));
    expect(out.FailedPutCount).toBeGreaterThan(50);
    expect(out.FailedPutCount).toBeLessThan(150);
    firehose.setFaults({});
    await firehose.flush();
    const ids = new Set((await readRows(location())).map((r) => r.message_id));
    const accepted = out.RequestResponses!.flatMap((r, i) => (r.RecordId ? [`m-${20_000 + i}`] : []));
    expect(accepted.every((id) => ids.has(id))).toBe(true);
    expect(out.RequestResponses!.filter((r) => r.ErrorCode).every((r, _i) => r.ErrorCode === 'ServiceUnavailableException')).toBe(true);
  });

  it('commits on the buffer interval without an explicit flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-firehose-interval-'));
    const svc = makeService(dir, { bufferIntervalSeconds: 1 });
    await svc.open();
    const loc = streamPaths(dir, DB, TABLE, STREAM).tableLocation;
    await svc.handle({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      target: 'Firehose_20150804.PutRecordBatch',
      body: Buffer.from(JSON.stringify({ DeliveryStreamName: STREAM, Records: [{ Data: Buffer.from(JSON.stringify(row(1))).toString('base64') }] })),
    });
    const started = Date.now();
    while ((await readTableState(loc)).snapshots.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 100));
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect((await readTableState(loc)).snapshots.map((s) => s.addedRecords)).toEqual([1]);
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Firehose stand-in durability', () => {
  const put = (svc: FirehoseService, rows: RawRow[]) =>
    svc.handle({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {},
      target: 'Firehose_20150804.PutRecordBatch',
      body: Buffer.from(JSON.stringify({ DeliveryStreamName: STREAM, Records: rows.map((r) => ({ Data: Buffer.from(JSON.stringify(r)).toString('base64') })) })),
    });
  const service = (dir: string) =>
    new FirehoseService({
      region,
      dataDir: dir,
      streams: [{ name: STREAM, database: DB, table: TABLE, bufferSizeMb: 64, bufferIntervalSeconds: 3600, retryDurationSeconds: 300, errorOutputBucket: BUCKET }],
      tickMs: 3_600_000,
      writeErrorObject: async () => undefined,
    });

  it('replays acknowledged records after a kill, exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-firehose-kill-'));
    const loc = streamPaths(dir, DB, TABLE, STREAM).tableLocation;
    const killed = service(dir);
    await killed.open();
    expect((await put(killed, [row(1), row(2)])).status).toBe(200);
    await killed.flush();
    expect((await put(killed, [row(3), row(4), row(5)])).status).toBe(200);
    // The first instance is abandoned without flush or close, as after SIGKILL.
    const restarted = service(dir);
    await restarted.open();
    await restarted.flush();
    expect((await readRows(loc)).map((r) => r.message_id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    const again = service(dir);
    await again.open();
    await again.flush();
    expect((await readTableState(loc)).totalRecords).toBe(5);
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not commit twice when the kill came after the commit but before its confirmation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-firehose-kill2-'));
    const paths = streamPaths(dir, DB, TABLE, STREAM);
    const first = service(dir);
    await first.open();
    await put(first, [row(1), row(2)]);
    // Same steps as a flush, stopped between the Iceberg commit and the journal's confirmation.
    const { journal } = BufferJournal.open(paths.journalDir);
    journal.beginCommit([0, 1], 0);
    await appendRows(paths.tableLocation, [row(1), row(2)]);
    journal.close();
    const restarted = service(dir);
    await restarted.open();
    await restarted.flush();
    const state = await readTableState(paths.tableLocation);
    expect(state.snapshots.map((s) => s.addedRecords)).toEqual([2]);
    await restarted.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
