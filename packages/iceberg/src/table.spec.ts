import type { RawRow } from '@lean-ops/contracts';
import { epochMicrosToIso, isoToEpochMicros, rawIcebergSchema } from '@lean-ops/contracts';
import * as avro from 'avsc';
import { parquetMetadata } from 'hyparquet';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeAvroContainer } from './avro-container';
import type { ManifestEntryRecord, ManifestFileRecord } from './avro-schemas';
import { sampleRows } from './benchmark';
import { RowSchemaError, TableNotFoundError, UnsupportedTableError } from './errors';
import { localPath } from './file-catalog';
import { appendRows, benchmarkWriter, createTable, readRows, readTableState } from './index';
import { appendRowsWithHooks } from './table';
import type { TableMetadata } from './table-metadata';
import { TRICKY_PAYLOAD } from './test-fixtures';
import assert from 'node:assert/strict';

/** The element at `i`: a read past the end fails here, by name, rather than later on undefined. */
function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  assert(x !== undefined, `no element ${i} (length ${xs.length})`);
  return x;
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iceberg-spec-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const metadataAt = async (v: number) => JSON.parse(await fs.readFile(path.join(dir, 'metadata', `v${v}.metadata.json`), 'utf8')) as TableMetadata;
const avroFile = async <T>(uri: string) => decodeAvroContainer<T>(await fs.readFile(localPath(uri)));
const hint = () => fs.readFile(path.join(dir, 'metadata', 'version-hint.text'), 'utf8');

/** Every record field in an Avro schema, with the path to it. */
function avroFields(schema: unknown, at = ''): Array<{ path: string; field: Record<string, unknown> }> {
  const out: Array<{ path: string; field: Record<string, unknown> }> = [];
  const visit = (type: unknown, where: string) => {
    if (Array.isArray(type)) return type.forEach((t) => visit(t, where));
    if (typeof type !== 'object' || type === null) return;
    const t = type as Record<string, unknown>;
    if (t.type === 'record') {
      for (const f of t.fields as Array<Record<string, unknown>>) {
        out.push({ path: `${where}${f.name as string}`, field: f });
        visit(f.type, `${where}${f.name as string}.`);
      }
    } else if (t.type === 'array') visit(t.items, `${where}[].`);
  };
  visit(schema, at);
  return out;
}

describe('createTable', () => {
  it('writes v1 with every required V2 field and no snapshot, once', async () => {
    await createTable(dir);
    const before = await fs.readFile(path.join(dir, 'metadata', 'v1.metadata.json'), 'utf8');
    await createTable(dir);
    expect(await fs.readdir(path.join(dir, 'metadata'))).toEqual(['v1.metadata.json', 'version-hint.text']);
    expect(await fs.readFile(path.join(dir, 'metadata', 'v1.metadata.json'), 'utf8')).toBe(before);
    expect(await hint()).toBe('1');

    const m = await metadataAt(1);
    expect(m).toMatchObject({
      'format-version': 2,
      location: `file://${dir}`,
      'last-sequence-number': 0,
      'last-column-id': 9,
      schemas: [rawIcebergSchema()],
      'current-schema-id': 0,
      'partition-specs': [{ 'spec-id': 0, fields: [] }],
      'default-spec-id': 0,
      'last-partition-id': 999,
      'sort-orders': [{ 'order-id': 0, fields: [] }],
      'default-sort-order-id': 0,
      'current-snapshot-id': -1,
      snapshots: [],
      refs: {},
    });
    expect(m['table-uuid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof m['last-updated-ms']).toBe('number');
    expect(await readTableState(dir)).toEqual({ version: 1, currentSnapshotId: null, snapshots: [], totalRecords: 0 });
    expect(await readRows(dir)).toEqual([]);
  });

  it('reports a missing table', async () => {
    await expect(readTableState(dir)).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(appendRows(dir, sampleRows(1))).rejects.toBeInstanceOf(TableNotFoundError);
  });
});

describe('three appends', () => {
  const batches = [sampleRows(5, 0), sampleRows(3, 5), sampleRows(4, 8)];
  at(batches, 1)[0] = { ...at(at(batches, 1), 0), json_payload: TRICKY_PAYLOAD, event_time: isoToEpochMicros('2026-11-26T09:00:00.123456+01:00')! };

  let results: Awaited<ReturnType<typeof appendRows>>[];
  beforeEach(async () => {
    await createTable(dir);
    results = [];
    for (const b of batches) results.push(await appendRows(dir, b));
  });

  it('commits one version and one sequence number per append', async () => {
    expect(results.map((r) => [r.version, r.sequenceNumber, r.addedRecords])).toEqual([
      [2, 1, 5],
      [3, 2, 3],
      [4, 3, 4],
    ]);
    expect(at(results, 2).metadataFile).toBe(path.join(dir, 'metadata', 'v4.metadata.json'));
    expect(await hint()).toBe('4');
    for (const r of results) await expect(fs.stat(localPath(r.dataFile))).resolves.toBeTruthy();
  });

  it('writes snapshots, refs, logs and cumulative summaries', async () => {
    const m = await metadataAt(4);
    const v1 = await metadataAt(1);
    expect(m['table-uuid']).toBe(v1['table-uuid']);
    expect(m['last-sequence-number']).toBe(3);
    expect(m.snapshots.map((s) => s['sequence-number'])).toEqual([1, 2, 3]);
    const ids = m.snapshots.map((s) => s['snapshot-id']);
    expect(ids).toEqual(results.map((r) => r.snapshotId));
    expect(new Set(ids).size).toBe(3);
    ids.forEach((id) => expect(Number.isSafeInteger(id) && id > 0).toBe(true));
    expect(m.snapshots[0]).not.toHaveProperty('parent-snapshot-id');
    expect(at(m.snapshots, 1)['parent-snapshot-id']).toBe(ids[0]);
    expect(at(m.snapshots, 2)['parent-snapshot-id']).toBe(ids[1]);
    expect(m['current-snapshot-id']).toBe(ids[2]);
    expect(m.refs).toEqual({ main: { 'snapshot-id': ids[2], type: 'branch' } });
    expect(m['snapshot-log'].map((e) => e['snapshot-id'])).toEqual(ids);
    expect(m['metadata-log'].map((e) => e['metadata-file'])).toEqual([1, 2, 3].map((v) => `file://${dir}/metadata/v${v}.metadata.json`));
    const times = m.snapshots.map((s) => s['timestamp-ms']);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(m['last-updated-ms']).toBe(times[2]);

    const sizes = await Promise.all(results.map(async (r) => (await fs.stat(localPath(r.dataFile))).size));
    const last = at(m.snapshots, 2);
    expect(last['schema-id']).toBe(0);
    expect(last.summary).toEqual({
      operation: 'append',
      'added-data-files': '1',
      'added-records': '4',
      'added-files-size': String(at(sizes, 2)),
      'changed-partition-count': '1',
      'total-records': '12',
      'total-files-size': String(at(sizes, 0) + at(sizes, 1) + at(sizes, 2)),
      'total-data-files': '3',
      'total-delete-files': '0',
      'total-position-deletes': '0',
      'total-equality-deletes': '0',
    });
    expect(m.snapshots.map((s) => s.summary['total-records'])).toEqual(['5', '8', '12']);

    expect(await readTableState(dir)).toEqual({
      version: 4,
      currentSnapshotId: String(ids[2]),
      snapshots: [
        { snapshotId: String(ids[0]), sequenceNumber: 1, addedRecords: 5, totalRecords: 5 },
        { snapshotId: String(ids[1]), sequenceNumber: 2, addedRecords: 3, totalRecords: 8 },
        { snapshotId: String(ids[2]), sequenceNumber: 3, addedRecords: 4, totalRecords: 12 },
      ],
      totalRecords: 12,
    });
  });

  it('carries earlier manifests unchanged into each new manifest list', async () => {
    const m = await metadataAt(4);
    const lists: ManifestFileRecord[][] = [];
    for (const s of m.snapshots) {
      const list = await avroFile<ManifestFileRecord>(s['manifest-list']);
      expect(list.metadata).toEqual({
        'snapshot-id': String(s['snapshot-id']),
        'parent-snapshot-id': s['parent-snapshot-id'] === undefined ? 'null' : String(s['parent-snapshot-id']),
        'sequence-number': String(s['sequence-number']),
        'format-version': '2',
      });
      lists.push(list.records);
    }
    expect(lists.map((l) => l.length)).toEqual([1, 2, 3]);
    // The newest manifest comes first; the others are byte-for-byte the records of the previous list.
    expect(at(lists, 1).slice(1)).toEqual(lists[0]);
    expect(at(lists, 2).slice(1)).toEqual(lists[1]);
    const newest = at(lists, 2).map((f) => [f.sequence_number, f.min_sequence_number, f.added_snapshot_id, f.added_rows_count]);
    expect(newest).toEqual([
      [3, 3, at(results, 2).snapshotId, 4],
      [2, 2, at(results, 1).snapshotId, 3],
      [1, 1, at(results, 0).snapshotId, 5],
    ]);
    for (const f of at(lists, 2)) {
      expect(f).toMatchObject({ partition_spec_id: 0, content: 0, added_files_count: 1, existing_files_count: 0, deleted_files_count: 0 });
      expect(f.manifest_length).toBe((await fs.stat(localPath(f.manifest_path))).size);
    }
  });

  it('writes ADDED entries with exact counts, sizes, sequence numbers and bounds', async () => {
    const list = await avroFile<ManifestFileRecord>(at((await metadataAt(3)).snapshots, 1)['manifest-list']);
    const manifest = await avroFile<ManifestEntryRecord>(at(list.records, 0).manifest_path);
    expect(manifest.records).toHaveLength(1);
    const entry = at(manifest.records, 0);
    expect(entry).toMatchObject({ status: 1, snapshot_id: at(results, 1).snapshotId, sequence_number: 2, file_sequence_number: 2 });
    const f = entry.data_file;
    expect(f).toMatchObject({ content: 0, file_path: at(results, 1).dataFile, file_format: 'PARQUET', record_count: 3, sort_order_id: 0 });
    expect(f.file_size_in_bytes).toBe((await fs.stat(localPath(f.file_path))).size);

    const byId = <V>(pairs: Array<{ key: number; value: V }> | null) => new Map((pairs ?? []).map((p) => [p.key, p.value]));
    expect(byId(f.value_counts)).toEqual(new Map([1, 2, 3, 4, 5, 7, 8].map((id) => [id, 3])));
    // Rows 5..7: no null event times (every tenth row has one).
    expect(byId(f.null_value_counts).get(3)).toBe(0);
    expect(byId(f.null_value_counts).get(4)).toBe(0);
    expect([...byId(f.column_sizes).keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].filter((id) => id !== 6));

    const lower = byId(f.lower_bounds);
    const upper = byId(f.upper_bounds);
    const micros = (b: Buffer | undefined) => b!.readBigInt64LE(0);
    const ingested = at(batches, 1).map((r) => BigInt(r.ingested_at));
    expect(micros(lower.get(4))).toBe(ingested.reduce((a, b) => (b < a ? b : a)));
    expect(micros(upper.get(4))).toBe(ingested.reduce((a, b) => (b > a ? b : a)));
    expect(micros(lower.get(3))).toBe(BigInt(at(at(batches, 1), 1).event_time!));
    // 09:00:00.123456+01:00 is the largest event time, with its microseconds.
    expect(micros(upper.get(3))).toBe(BigInt(Date.parse('2026-11-26T08:00:00.123Z')) * 1000n + 456n);
    expect(lower.get(7)!.readInt32LE(0)).toBe(1);
    expect(upper.get(7)!.readInt32LE(0)).toBe(3);
    expect(lower.get(1)!.toString('utf8')).toBe('clicks');
    expect(upper.get(1)!.toString('utf8')).toBe('payments');
    expect(f.split_offsets).toEqual([4]);
  });

  it('puts field ids and the required key-value metadata in the Avro headers', async () => {
    const m = await metadataAt(4);
    const listHeader = avro.extractFileHeader(localPath(at(m.snapshots, 2)['manifest-list']), { decode: false }) as { meta: Record<string, Buffer> };
    const listSchemaText = listHeader.meta['avro.schema']?.toString('utf8');
    assert(listSchemaText !== undefined, 'the manifest list header has no avro.schema');
    expect(listSchemaText).toContain('"field-id":500');
    const listIds = Object.fromEntries(avroFields(JSON.parse(listSchemaText)).map((f) => [f.path, f.field['field-id']]));
    expect(listIds).toEqual({
      manifest_path: 500,
      manifest_length: 501,
      partition_spec_id: 502,
      content: 517,
      sequence_number: 515,
      min_sequence_number: 516,
      added_snapshot_id: 503,
      added_files_count: 504,
      existing_files_count: 505,
      deleted_files_count: 506,
      added_rows_count: 512,
      existing_rows_count: 513,
      deleted_rows_count: 514,
      partitions: 507,
      'partitions.[].contains_null': 509,
      'partitions.[].contains_nan': 518,
      'partitions.[].lower_bound': 510,
      'partitions.[].upper_bound': 511,
      key_metadata: 519,
    });
    expect(listSchemaText).toContain('"element-id":508');
    for (const key of ['snapshot-id', 'parent-snapshot-id', 'sequence-number', 'format-version']) expect(listHeader.meta).toHaveProperty([key]);

    const list = await avroFile<ManifestFileRecord>(at(m.snapshots, 2)['manifest-list']);
    const header = avro.extractFileHeader(localPath(at(list.records, 0).manifest_path), { decode: false }) as { meta: Record<string, Buffer> };
    const meta = Object.fromEntries(Object.entries(header.meta).map(([k, v]) => [k, v.toString('utf8')]));
    expect(JSON.parse(meta.schema ?? 'null')).toEqual(rawIcebergSchema());
    expect(meta).toMatchObject({ 'schema-id': '0', 'partition-spec': '[]', 'partition-spec-id': '0', 'format-version': '2', content: 'data' });
    const entryFields = avroFields(JSON.parse(meta['avro.schema'] ?? 'null'));
    const ids = Object.fromEntries(entryFields.map((f) => [f.path, f.field['field-id']]));
    expect(ids).toMatchObject({
      status: 0,
      snapshot_id: 1,
      sequence_number: 3,
      file_sequence_number: 4,
      data_file: 2,
      'data_file.content': 134,
      'data_file.file_path': 100,
      'data_file.file_format': 101,
      'data_file.partition': 102,
      'data_file.record_count': 103,
      'data_file.file_size_in_bytes': 104,
      'data_file.column_sizes': 108,
      'data_file.column_sizes.[].key': 117,
      'data_file.column_sizes.[].value': 118,
      'data_file.value_counts': 109,
      'data_file.value_counts.[].key': 119,
      'data_file.value_counts.[].value': 120,
      'data_file.null_value_counts': 110,
      'data_file.null_value_counts.[].key': 121,
      'data_file.null_value_counts.[].value': 122,
      'data_file.nan_value_counts': 137,
      'data_file.nan_value_counts.[].key': 138,
      'data_file.nan_value_counts.[].value': 139,
      'data_file.lower_bounds': 125,
      'data_file.lower_bounds.[].key': 126,
      'data_file.lower_bounds.[].value': 127,
      'data_file.upper_bounds': 128,
      'data_file.upper_bounds.[].key': 129,
      'data_file.upper_bounds.[].value': 130,
      'data_file.key_metadata': 131,
      'data_file.split_offsets': 132,
      'data_file.equality_ids': 135,
      'data_file.sort_order_id': 140,
    });
    // Every record field carries an id, and optional fields default to null (spec Appendix A).
    for (const { path: p, field } of entryFields) {
      expect([p, typeof field['field-id']]).toEqual([p, 'number']);
      if (Array.isArray(field.type)) expect([p, field.default]).toEqual([p, null]);
    }
    expect(meta['avro.schema']).toContain('"element-id":133');
    expect(meta['avro.schema']).toContain('"name":"r102"');
    expect(meta['avro.schema']).toContain('"logicalType":"map"');
  });

  it('writes Parquet with field ids on every Iceberg field and Iceberg types', async () => {
    const bytes = await fs.readFile(localPath(at(results, 0).dataFile));
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const elements = meta.schema.map((e) => ({ name: e.name, id: e.field_id, rep: e.repetition_type }));
    expect(elements).toEqual([
      { name: 'table', id: undefined, rep: undefined },
      { name: 'topic_name', id: 1, rep: 'REQUIRED' },
      { name: 'message_id', id: 2, rep: 'REQUIRED' },
      { name: 'event_time', id: 3, rep: 'OPTIONAL' },
      { name: 'ingested_at', id: 4, rep: 'REQUIRED' },
      { name: 'json_payload', id: 5, rep: 'REQUIRED' },
      { name: 'drift_fields', id: 6, rep: 'REQUIRED' },
      { name: 'list', id: undefined, rep: 'REPEATED' },
      { name: 'element', id: 9, rep: 'REQUIRED' },
      { name: 'receive_count', id: 7, rep: 'REQUIRED' },
      { name: 'source_queue', id: 8, rep: 'REQUIRED' },
    ]);
    const byName = new Map(meta.schema.map((e) => [e.name, e]));
    for (const ts of ['event_time', 'ingested_at']) {
      expect(byName.get(ts)).toMatchObject({ type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } });
    }
    expect(byName.get('drift_fields')).toMatchObject({ converted_type: 'LIST', num_children: 1 });
    expect(byName.get('element')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(byName.get('receive_count')).toMatchObject({ type: 'INT32' });
    expect(byName.get('json_payload')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(Number(meta.num_rows)).toBe(5);
    const kv = meta.key_value_metadata?.find((k) => k.key === 'iceberg.schema');
    expect(JSON.parse(kv!.value!)).toEqual(rawIcebergSchema());
  });

  it('reads every row back through the manifests, payload byte for byte', async () => {
    const rows = await readRows(dir);
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.message_id)).toEqual(batches.flat().map((r) => r.message_id));
    const tricky = rows.find((r) => r.message_id === at(at(batches, 1), 0).message_id)!;
    expect(tricky.json_payload).toBe(TRICKY_PAYLOAD);
    expect(Buffer.from(tricky.json_payload as string, 'utf8').equals(Buffer.from(TRICKY_PAYLOAD, 'utf8'))).toBe(true);
    expect(tricky.event_time).toBe('2026-11-26T08:00:00.123456Z');
    const first = rows[0];
    const source: RawRow = at(at(batches, 0), 0);
    expect(first).toEqual({ ...source, ingested_at: epochMicrosToIso(source.ingested_at), event_time: null });
    expect(at(rows, 1).drift_fields).toEqual([]);
  });
});

describe('validation', () => {
  it('throws a typed error and writes nothing for a row that does not fit', async () => {
    await createTable(dir);
    const rows = sampleRows(3);
    const bad = { ...rows[1], receive_count: 'three' } as unknown as RawRow;
    const error = await appendRows(dir, [at(rows, 0), bad, at(rows, 2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RowSchemaError);
    expect(error).toMatchObject({ rowIndex: 1, reason: expect.stringMatching(/receive_count/) });
    expect(await fs.readdir(path.join(dir, 'data'))).toEqual([]);
    expect((await readTableState(dir)).version).toBe(1);
  });

  it('refuses an empty append', async () => {
    await createTable(dir);
    await expect(appendRows(dir, [])).rejects.toBeInstanceOf(RangeError);
  });
});

describe('crash safety and concurrent writers', () => {
  it('takes the highest metadata version present, whatever the hint says', async () => {
    await createTable(dir);
    const first = await appendRows(dir, sampleRows(2));
    // A writer that died after publishing v2 but before updating the hint.
    await fs.writeFile(path.join(dir, 'metadata', 'version-hint.text'), '1');
    // Leftovers of interrupted commits are not versions.
    await fs.writeFile(path.join(dir, 'metadata', '.v3-0000.metadata.json.tmp'), '{"truncated');
    const second = await appendRows(dir, sampleRows(2, 2));
    expect([first.version, second.version]).toEqual([2, 3]);
    expect(second.sequenceNumber).toBe(2);
    expect(await hint()).toBe('3');
    expect((await readRows(dir)).map((r) => r.message_id)).toEqual(sampleRows(4).map((r) => r.message_id));
  });

  it('retries as v3 when another writer published v2 first, leaving only orphans behind', async () => {
    await createTable(dir);
    let other: Awaited<ReturnType<typeof appendRows>> | undefined;
    const attempts: Array<[number, number]> = [];
    const mine = await appendRowsWithHooks(dir, sampleRows(3, 100), {
      beforePublish: async (version, attempt) => {
        attempts.push([version, attempt]);
        if (attempt === 1) other = await appendRows(dir, sampleRows(2, 200));
      },
    });
    expect(attempts).toEqual([
      [2, 1],
      [3, 2],
    ]);
    expect(other).toMatchObject({ version: 2, sequenceNumber: 1 });
    expect(mine).toMatchObject({ version: 3, sequenceNumber: 2, addedRecords: 3 });
    const m = await metadataAt(3);
    expect(m.snapshots.map((s) => s['snapshot-id'])).toEqual([other!.snapshotId, mine.snapshotId]);
    expect(at(m.snapshots, 1)['parent-snapshot-id']).toBe(other!.snapshotId);
    const list = await avroFile<ManifestFileRecord>(at(m.snapshots, 1)['manifest-list']);
    expect(list.records.map((r) => r.sequence_number)).toEqual([2, 1]);
    const ids = (await readRows(dir)).map((r) => r.message_id);
    expect(ids).toEqual([...sampleRows(2, 200), ...sampleRows(3, 100)].map((r) => r.message_id));
    // The losing attempt's manifest and list stay on disk, unreferenced.
    const lists = (await fs.readdir(path.join(dir, 'metadata'))).filter((n) => n.startsWith('snap-'));
    expect(lists).toHaveLength(3);
  });

  it('serializes concurrent appends into distinct versions without losing rows', async () => {
    await createTable(dir);
    const results = await Promise.all([0, 1, 2, 3].map((i) => appendRows(dir, sampleRows(2, i * 10))));
    expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4, 5]);
    expect(results.map((r) => r.sequenceNumber).sort()).toEqual([1, 2, 3, 4]);
    const state = await readTableState(dir);
    expect(state.totalRecords).toBe(8);
    expect((await readRows(dir)).map((r) => r.message_id).sort()).toEqual(
      [0, 1, 2, 3]
        .flatMap((i) => sampleRows(2, i * 10))
        .map((r) => r.message_id)
        .sort(),
    );
  });

  it('refuses to build on unreadable metadata instead of guessing', async () => {
    await createTable(dir);
    await fs.writeFile(path.join(dir, 'metadata', 'v2.metadata.json'), '{"format-version": 2, "snapshots": [');
    await expect(appendRows(dir, sampleRows(1))).rejects.toBeInstanceOf(UnsupportedTableError);
  });
});

describe('benchmarkWriter', () => {
  it('measures a commit', async () => {
    const { rowsPerSecond } = await benchmarkWriter(200);
    expect(Number.isFinite(rowsPerSecond) && rowsPerSecond > 0).toBe(true);
  });
});
