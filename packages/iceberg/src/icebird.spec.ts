import { isoToEpochMicros, rawIcebergSchema } from '@lean-ops/contracts';
import { icebergMetadata, icebergRead } from 'icebird';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleRows } from './benchmark';
import { appendRows, createTable } from './index';
import { TRICKY_PAYLOAD } from './test-fixtures';
import assert from 'node:assert/strict';

/** The element at `i`: a read past the end fails here, by name, rather than later on undefined. */
function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  assert(x !== undefined, `no element ${i} (length ${xs.length})`);
  return x;
}

/**
 * icebird reads tables through `fetch` (HTTP or S3). This serves the table's `file://` URIs from disk with
 * HTTP semantics (404, HEAD, Range -> 206), so the reader runs unmodified against the files as written.
 */
async function fileFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file://')) throw new Error(`unexpected fetch of ${url}`);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(url.slice('file://'.length));
  } catch {
    return new Response(null, { status: 404, statusText: 'Not Found' });
  }
  if (init?.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(bytes.length) } });
  const range = /^bytes=(\d+)-(\d*)$/.exec(new Headers(init?.headers).get('range') ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Number(range[2]) + 1 : bytes.length;
    return new Response(bytes.subarray(start, end), { status: 206 });
  }
  return new Response(bytes, { status: 200 });
}

describe('read back with icebird', () => {
  let dir: string;
  const realFetch = globalThis.fetch;
  beforeAll(() => {
    globalThis.fetch = fileFetch as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iceberg-icebird-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('returns every row of every snapshot with the table schema and an exact payload', async () => {
    await createTable(dir);
    const tricky = { ...at(sampleRows(1, 500), 0), json_payload: TRICKY_PAYLOAD, event_time: isoToEpochMicros('2026-11-26T09:00:00.5+01:00')! };
    await appendRows(dir, sampleRows(40, 0));
    await appendRows(dir, [tricky, ...sampleRows(9, 40)]);
    await appendRows(dir, sampleRows(25, 49));

    const tableUrl = `file://${dir}`;
    const metadata = await icebergMetadata({ tableUrl });
    expect(metadata['format-version']).toBe(2);
    expect(metadata.schemas.find((s) => s['schema-id'] === metadata['current-schema-id'])).toEqual(rawIcebergSchema());

    const rows = await icebergRead({ tableUrl, metadata });
    expect(rows).toHaveLength(75);
    const expectedIds = [...sampleRows(40, 0), tricky, ...sampleRows(9, 40), ...sampleRows(25, 49)].map((r) => r.message_id).sort();
    expect(rows.map((r) => r.message_id as string).sort()).toEqual(expectedIds);
    expect(Object.keys(at(rows, 0))).toEqual((rawIcebergSchema().fields as Array<{ name: string }>).map((f) => f.name));

    const back = rows.find((r) => r.message_id === tricky.message_id)!;
    expect(back.json_payload).toBe(TRICKY_PAYLOAD);
    expect(Buffer.from(back.json_payload as string, 'utf8').equals(Buffer.from(TRICKY_PAYLOAD, 'utf8'))).toBe(true);
    expect((back.event_time as Date).toISOString()).toBe('2026-11-26T08:00:00.500Z');
    expect((back.ingested_at as Date).toISOString()).toBe(new Date(tricky.ingested_at / 1000).toISOString());
    expect(back.drift_fields).toEqual(tricky.drift_fields);
    expect(back.receive_count).toBe(tricky.receive_count);
    const nullEventTime = rows.find((r) => r.message_id === at(sampleRows(1, 10), 0).message_id)!;
    expect(nullEventTime.event_time ?? null).toBeNull();
  });
});
