import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { readTableState } from '@lean-ops/iceberg';
import { startServer } from '../server';
import { FirehoseService } from './firehose-service';
import { streamPaths } from './delivery-stream';

/** Rows per second into Iceberg through the SDK, with the local env's buffers (1 MiB / 1 s), flushes included. */
describe('Firehose stand-in throughput', () => {
  it('takes PutRecordBatch calls of 500 into Iceberg commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-firehose-bench-'));
    const svc = new FirehoseService({
      region: 'us-east-1',
      dataDir: dir,
      streams: [{ name: 'lo-raw', database: 'lo_lake', table: 'raw_events', bufferSizeMb: 1, bufferIntervalSeconds: 1, retryDurationSeconds: 60, errorOutputBucket: 'b' }],
      writeErrorObject: async () => undefined,
    });
    await svc.open();
    const endpoint = await startServer({ services: [svc] });
    const client = new FirehoseClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const calls = 40;
    const enc = new TextEncoder();
    const batches = Array.from({ length: calls }, (_, c) =>
      Array.from({ length: 500 }, (_, i) => ({
        Data: enc.encode(
          JSON.stringify({
            topic_name: 'orders',
            message_id: `m-${c}-${i}`,
            event_time: null,
            ingested_at: 1795680001000000,
            json_payload: JSON.stringify({ order: c * 500 + i, amount: 12.5, customer: { id: `c-${i}`, tags: ['a', 'b'] }, note: 'x'.repeat(200) }),
            drift_fields: [],
            receive_count: 1,
            source_queue: 'lo-orders',
          }),
        ),
      })),
    );
    const started = process.hrtime.bigint();
    // Four producers at once, as several processor invocations would be.
    for (let c = 0; c < calls; c += 4) {
      const outs = await Promise.all(batches.slice(c, c + 4).map((Records) => client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'lo-raw', Records }))));
      for (const o of outs) expect(o.FailedPutCount).toBe(0);
    }
    await svc.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const state = await readTableState(streamPaths(dir, 'lo_lake', 'raw_events', 'lo-raw').tableLocation);
    expect(state.totalRecords).toBe(calls * 500);
    expect(state.snapshots.length).toBe(svc.stats('lo-raw').commits);
    process.stdout.write(
      `firehose stand-in: ${Math.round((calls * 500) / seconds)} rows/s into Iceberg (${calls * 500} rows, ${calls} PutRecordBatch calls, ${state.snapshots.length} commits, ${seconds.toFixed(2)} s)\n`,
    );
    client.destroy();
    await endpoint.close();
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
