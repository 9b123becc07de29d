import type { RawRow } from '@lean-ops/contracts';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendRows, createTable } from './table';

const TOPICS = ['orders', 'payments', 'clicks'];

/** Rows shaped like the pipeline's RAW rows (a ~200-byte payload, some drift, some null event times). */
export function sampleRows(count: number, start = 0): RawRow[] {
  const base = Date.UTC(2026, 10, 26, 8, 0, 0);
  const rows: RawRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = start + i;
    rows[i] = {
      topic_name: TOPICS[n % TOPICS.length]!,
      message_id: `msg-${n.toString(36).padStart(8, '0')}`,
      event_time: n % 10 === 0 ? null : (base + n * 7) * 1000 + (n % 1000),
      ingested_at: (base + n * 7 + 250) * 1000,
      json_payload: JSON.stringify({ order_id: n, amount: (n * 37) % 10_000, currency: 'EUR', customer: `c-${n % 977}`, note: 'x'.repeat(120) }),
      drift_fields: n % 17 === 0 ? ['note'] : [],
      receive_count: 1 + (n % 3),
      source_queue: `lo-local-${['orders', 'payments', 'clicks'][n % 3]}`,
    };
  }
  return rows;
}

/**
 * Rows per second of one `appendRows` commit of `rows` rows (validation, Parquet, manifests, metadata, fsyncs)
 * into a fresh table in a temp dir, after an untimed warm-up commit so the figure is the steady state.
 */
export async function benchmarkWriter(rows: number): Promise<{ rowsPerSecond: number }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iceberg-bench-'));
  try {
    await createTable(dir);
    await appendRows(dir, sampleRows(Math.min(rows, 2_000), rows));
    const data = sampleRows(rows);
    const started = process.hrtime.bigint();
    await appendRows(dir, data);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rowsPerSecond: Math.round(rows / seconds) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
