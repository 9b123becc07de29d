import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemTable, readRows, type TableOperations } from '@lean-ops/iceberg';
import { IcebergDeliveryStream } from './delivery-stream';

class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}

const record = (i: number) => ({
  data: Buffer.from(
    JSON.stringify({ topic_name: 'orders', message_id: `m-${i}`, event_time: null, ingested_at: 1795680001000000, json_payload: '{}', drift_fields: [], receive_count: 1, source_queue: 'q' }),
  ),
});

describe('a commit the catalog refuses', () => {
  let dir: string;
  let clock: number;
  let denied: boolean;
  let errorObjects: Array<{ key: string; body: string }>;
  let stream: IcebergDeliveryStream;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lo-delivery-'));
    clock = 1_000_000;
    denied = false;
    errorObjects = [];
    const table = fileSystemTable(join(dir, 'table'));
    // The table's operations as Glue answers a role without glue:UpdateTable.
    const refusing: TableOperations = {
      ...table,
      commit: (base, next) => (denied ? Promise.reject(new AccessDeniedException('not authorized to perform: glue:UpdateTable')) : table.commit(base, next)),
    };
    stream = new IcebergDeliveryStream({
      streamName: 's',
      tableLocation: join(dir, 'unused'),
      tableOperations: () => refusing,
      journalDir: join(dir, 'journal'),
      bufferSizeMb: 1,
      bufferIntervalSeconds: 0,
      retryDurationSeconds: 60,
      errorOutputPrefix: 'firehose-errors/',
      writeErrorObject: async (key, body) => void errorObjects.push({ key, body }),
      onError: () => undefined,
      tickMs: 60_000,
      now: () => clock,
    });
    await stream.open(); // the table's first metadata (Glue writes it when it creates the table)
    denied = true;
  });
  afterEach(async () => {
    await stream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is retried; rows land once the catalog lets the commit through within the retry duration', async () => {
    stream.put([record(1), record(2)]);
    await expect(stream.flush()).rejects.toBeInstanceOf(AccessDeniedException);
    expect(stream.stats()).toMatchObject({ bufferedRows: 2, SuccessfulRowCount: 0, FailedRowCount: 0 });
    denied = false;
    clock += 500;
    await stream.flush(); // within the wait between attempts: nothing is tried
    expect(stream.stats().bufferedRows).toBe(2);
    clock += 1000;
    await stream.flush();
    expect(stream.stats()).toMatchObject({ bufferedRows: 0, SuccessfulRowCount: 2, FailedRowCount: 0 });
    expect((await readRows(fileSystemTable(join(dir, 'table')))).map((r) => r.message_id)).toEqual(['m-1', 'm-2']);
    expect(errorObjects).toEqual([]);
  });

  it('after the retry duration sends the rows to the error output with the error the catalog gave, counted as failed rows', async () => {
    stream.put([record(1), record(2)]);
    for (let t = 0; t < 61; t += 2) {
      await stream.flush().catch(() => undefined);
      clock += 2000;
    }
    expect(stream.stats()).toMatchObject({ bufferedRows: 0, failingRows: 0, SuccessfulRowCount: 0, FailedRowCount: 2 });
    expect(errorObjects).toHaveLength(1);
    const lines = errorObjects[0]!.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { errorCode: string; errorMessage: string; attemptsMade: number; rawData: string });
    expect(lines.map((l) => [l.errorCode, JSON.parse(Buffer.from(l.rawData, 'base64').toString()).message_id])).toEqual([
      ['Iceberg.AccessDeniedException', 'm-1'],
      ['Iceberg.AccessDeniedException', 'm-2'],
    ]);
    expect(lines[0]!.errorMessage).toMatch(/glue:UpdateTable/);
    expect(lines[0]!.attemptsMade).toBeGreaterThan(1);
  });
});
