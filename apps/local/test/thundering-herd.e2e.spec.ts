import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { names, rawIcebergSchema } from '@lean-ops/contracts';
import { glueTable, parseS3Location, readRows, s3FileIO } from '@lean-ops/iceberg';
import { LARGE_INTEGER, UNICODE_TEXT, type GeneratedMessage, type InjectionResult } from '@lean-ops/injector';
import { icebergMetadata, icebergRead } from 'icebird';
import type { Report } from '../src/report/report-types';
import type { LocalStack } from '../src/stack/local-stack';
import { injectInto, removeDir, scenario, startTestStack } from './e2e-support';
import assert from 'node:assert/strict';

/**
 * icebird reads through fetch: serve the table from its mirror on disk with HTTP semantics (404, HEAD, Range).
 * Locations in the metadata are the table's `s3://` ones; they map to the same key under the mirror (as DuckDB's
 * `allow_moved_paths` maps them).
 */
function mirrorFetch(table: { warehouse: string; warehousePath: string }) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // icebird fetches an s3:// location as https://<bucket>.s3.amazonaws.com/<key>.
    const { Bucket, Key } = parseS3Location(table.warehouse);
    const prefix = [table.warehouse, `https://${Bucket}.s3.amazonaws.com/${Key}`].find((p) => url.startsWith(p));
    const file = prefix ? path.join(table.warehousePath, url.slice(prefix.length)) : url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : undefined;
    if (!file) throw new Error(`unexpected fetch of ${url}`);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await fs.readFile(file));
    } catch {
      return new Response(null, { status: 404, statusText: 'Not Found' });
    }
    if (init?.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(bytes.length) } });
    const range = /^bytes=(\d+)-(\d*)$/.exec(new Headers(init?.headers).get('range') ?? '');
    if (range) return new Response(bytes.subarray(Number(range[1]), range[2] ? Number(range[2]) + 1 : bytes.length), { status: 206 });
    return new Response(bytes, { status: 200 });
  };
}

describe('thundering herd through the local stack', () => {
  let stack: LocalStack;
  let logs: string[];
  let injection: InjectionResult;
  let messages: GeneratedMessage[];
  let report: Report;

  beforeAll(async () => {
    ({ stack, logs } = await startTestStack());
    ({ injection, messages } = await injectInto(stack, await scenario('thundering_herd.json')));
    await stack.waitForSettled({ timeoutMs: 180_000 });
    report = await stack.report({ injection, messages });
  });

  afterAll(async () => {
    await stack?.stop();
    if (stack) await removeDir(stack.dataDir);
  });

  it('sends the whole scenario', () => {
    expect(injection.failed).toBe(0);
    expect(injection.sent).toBe(5000);
  });

  it('passes every seed verification row', () => {
    const rows = Object.fromEntries(report.verification.map((r) => [r.scenario, r]));
    expect(Object.keys(rows)).toEqual(expect.arrayContaining(['Happy Path', 'Malformed JSON', 'Processing Error', 'DLQ Archival', 'DynamoDB Logging']));
    for (const r of report.verification) expect({ scenario: r.scenario, status: r.status, result: r.result }).toEqual({ scenario: r.scenario, status: 'pass', result: r.result });

    const count = (kind: string) => messages.filter((m) => m.kind === kind).length;
    expect(rows['Malformed JSON']?.actual).toBe(count('malformed_json'));
    expect(count('malformed_json')).toBeGreaterThan(0);
    expect(report.dropping.MALFORMED_JSON).toBeGreaterThanOrEqual(count('malformed_json'));
    expect(rows['Processing Error']?.actual).toBe(count('processing_error'));
    expect(count('processing_error')).toBeGreaterThan(0);
    expect(rows['DLQ Archival']?.details?.[0]).toMatch(/^s3:\/\/lean-ops-local-archive-000000000000\/dlq-archive\/topic=[a-z]+\/dt=\d{4}-\d{2}-\d{2}\/.+\.json$/);
    expect(report.errorTracker.byStatus).toEqual({ QUARANTINED: count('malformed_json'), DLQ_ARCHIVED: count('processing_error') });
    expect(report.misplaced.count).toBe(0);
  });

  it('balances: sent = RAW distinct + quarantined + DLQ-archived + error output, nothing lost', () => {
    const b = report.balance;
    expect(b.lost).toBe(0);
    expect(b.inFlight).toBe(0);
    expect(b.sentDistinct).toBe(5000);
    expect(b.rawDistinct + b.quarantined + b.dlqArchived + b.errorOutput).toBe(b.sentDistinct);
    expect(b.holds).toBe(true);
    expect(report.ok).toBe(true);
    // every hop ties: Firehose's successful rows are the rows the snapshots added
    expect(report.firehose.successfulRows).toBe(report.iceberg.addedRecords);
    expect(report.iceberg.addedRecords).toBe(b.rawRows);
    for (const t of report.ledger) {
      expect(t.sent).toBe(injection.sentByTopic[t.topic]);
      expect(t.rawDistinct + t.quarantined + t.dlqArchived + t.errorOutput + t.inFlight).toBe(t.sentDistinct);
      expect(t.received).toBeGreaterThanOrEqual(t.sent);
      expect(t.delivered).toBe(t.addedToTable);
    }
  });

  it('wrote a RAW table that icebird reads back: rows, schema, byte-exact payloads', async () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = mirrorFetch(stack.info) as typeof fetch;
    try {
      const tableUrl = `file://${stack.info.warehousePath}`;
      const metadata = await icebergMetadata({ tableUrl });
      expect(metadata['format-version']).toBe(2);
      expect(metadata.schemas.find((s) => s['schema-id'] === metadata['current-schema-id'])).toEqual(rawIcebergSchema());
      const rows = await icebergRead({ tableUrl, metadata });
      expect(rows).toHaveLength(report.balance.rawRows);
      const [row] = rows;
      assert(row);
      expect(Object.keys(row)).toEqual((rawIcebergSchema().fields as Array<{ name: string }>).map((f) => f.name));

      const showcase = rows.find((r) => String(r.json_payload).includes(LARGE_INTEGER) && String(r.json_payload).includes(UNICODE_TEXT));
      expect(showcase).toBeDefined();
      const sent = messages.find((m) => m.messageId === showcase!.message_id)!;
      const payload = showcase!.json_payload as string;
      // the stored text is a byte-for-byte slice of the body that was sent, big integer and unicode included
      expect(Buffer.from(sent.body, 'utf8').indexOf(Buffer.from(payload, 'utf8'))).toBeGreaterThan(0);
      expect(payload).toMatch(new RegExp(`[:\\[,]\\s*${LARGE_INTEGER}\\b`));
      expect(showcase!.topic_name).toBe(sent.topic);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('keeps the RAW table where AWS does: its files in the warehouse bucket, its metadata_location in Glue', async () => {
    const { region, endpoint, credentials } = stack.info;
    const s3 = new S3Client({ region, endpoint: stack.info.endpoints.s3, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const glue = new GlueClient({ region, endpoint, credentials });
    try {
      // `aws s3 ls --recursive s3://<warehouse>`: metadata files, data files, manifests and manifest lists.
      const { Bucket, Key } = parseS3Location(stack.info.warehouse);
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: Key })) keys.push(...(page.Contents ?? []).map((o) => o.Key!.slice(Key.length)));
      const metadataFiles = keys.filter((k) => /^metadata\/\d{5}-[0-9a-f-]{36}\.metadata\.json$/.test(k)).sort();
      expect(metadataFiles).toHaveLength(report.iceberg.snapshots + 1);
      expect(keys.filter((k) => /^data\/[0-9a-f-]{36}\.parquet$/.test(k))).toHaveLength(report.iceberg.snapshots);
      expect(keys.filter((k) => /^metadata\/[0-9a-f-]{36}-m0\.avro$/.test(k))).toHaveLength(report.iceberg.snapshots);
      expect(keys.filter((k) => /^metadata\/snap-\d+-\d+-[0-9a-f-]{36}\.avro$/.test(k))).toHaveLength(report.iceberg.snapshots);

      // `aws glue get-table`: an Iceberg table whose metadata_location is the newest metadata file.
      const database = names.glueDatabase(stack.config.namePrefix);
      const { Table } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: names.rawTable }));
      expect(Table!.StorageDescriptor!.Location).toBe(stack.info.warehouse);
      expect(Table!.Parameters).toMatchObject({
        table_type: 'ICEBERG',
        metadata_location: `${stack.info.warehouse}${metadataFiles[metadataFiles.length - 1]}`,
        previous_metadata_location: `${stack.info.warehouse}${metadataFiles[metadataFiles.length - 2]}`,
      });
      expect(Number(Table!.VersionId)).toBe(report.iceberg.snapshots);

      // The rows read through the catalog are the report's RAW rows.
      const rows = await readRows(glueTable({ glue, io: s3FileIO(s3), database, table: names.rawTable }));
      expect(rows).toHaveLength(report.balance.rawRows);
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(report.balance.rawDistinct);
    } finally {
      s3.destroy();
      glue.destroy();
    }
  });

  it('logs DROPPING for malformed records from the processor', () => {
    expect(logs.filter((l) => l.includes('"message":"DROPPING"') && l.includes('MALFORMED_JSON')).length).toBe(report.dropping.MALFORMED_JSON);
  });
});
