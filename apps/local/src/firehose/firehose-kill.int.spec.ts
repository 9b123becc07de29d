import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRows, readTableState } from '@lean-ops/iceberg';
import { FirehoseService } from './firehose-service';
import { streamPaths } from './delivery-stream';

const stream = { name: 'lo-raw', database: 'lo_lake', table: 'raw_events', bufferSizeMb: 1, bufferIntervalSeconds: 3600, retryDurationSeconds: 60, errorOutputBucket: 'b' };

/** A separate node process takes records (commits run as the 1 MiB buffer fills) until it is SIGKILLed. */
const child = (dataDir: string) => `
// Never outlive the test, whatever happens to it.
setTimeout(() => process.exit(2), 60000);
const { FirehoseService } = require(${JSON.stringify(resolve(__dirname, 'firehose-service.ts'))});
(async () => {
  const svc = new FirehoseService({ region: 'us-east-1', dataDir: ${JSON.stringify(dataDir)}, streams: [${JSON.stringify(stream)}], writeErrorObject: async () => undefined });
  await svc.open();
  for (let c = 0; ; c++) {
    const Records = Array.from({ length: 100 }, (_, i) => ({ Data: Buffer.from(JSON.stringify({ topic_name: 't', message_id: 'm-' + c + '-' + i, event_time: null, ingested_at: 1795680000000000, json_payload: JSON.stringify({ pad: 'x'.repeat(1500) }), drift_fields: [], receive_count: 1, source_queue: 'q' })).toString('base64') }));
    const res = await svc.handle({ method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, target: 'Firehose_20150804.PutRecordBatch', body: Buffer.from(JSON.stringify({ DeliveryStreamName: 'lo-raw', Records })) });
    if (res.status === 200) process.stdout.write('acked ' + c + '\\n');
    await new Promise((r) => setImmediate(r));
  }
})();
`;

describe('Firehose stand-in killed with SIGKILL', () => {
  it('keeps every acknowledged record, once, across a kill and restart on the same data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-firehose-sigkill-'));
    const script = join(dir, 'child.ts');
    writeFileSync(script, child(dir));
    // The TypeScript loader runs inside this one process, so the SIGKILL hits the process that holds the buffer.
    const proc = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Set<number>();
    const loc = streamPaths(dir, stream.database, stream.table, stream.name).tableLocation;
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const m of buf.matchAll(/acked (\d+)\n/g)) acked.add(Number(m[1]));
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
    const exited = new Promise<void>((done) => proc.on('exit', () => done()));
    // Kill in the middle of the stream: after some size-triggered commits (1 MiB is ~6 calls here), while more are buffered.
    const started = Date.now();
    while (Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
      if (acked.size >= 25 && (await readTableState(loc).catch(() => ({ totalRecords: 0 }))).totalRecords > 0) break;
    }
    proc.kill('SIGKILL');
    await exited;
    expect(acked.size).toBeGreaterThanOrEqual(25);
    const committedBeforeKill = (await readTableState(loc)).totalRecords;
    expect(committedBeforeKill).toBeGreaterThan(0);
    expect(committedBeforeKill).toBeLessThan(acked.size * 100);

    const svc = new FirehoseService({ region: 'us-east-1', dataDir: dir, streams: [stream], writeErrorObject: async () => undefined });
    await svc.open();
    await svc.flush();
    const ids = (await readRows(loc)).map((r) => String(r.message_id));
    expect(new Set(ids).size).toBe(ids.length);
    const have = new Set(ids);
    for (const c of acked) for (let i = 0; i < 100; i++) expect(have.has(`m-${c}-${i}`)).toBe(true);
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
