import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConcurrentModificationException,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetTableCommand,
  GetTablesCommand,
  GlueClient,
  InvalidInputException,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { appendRows, createTable, glueTable, localFileIO, readRows, readTableState } from '@lean-ops/iceberg';
import type { RawRow } from '@lean-ops/contracts';
import { startServer, type RunningServer } from '../server';
import { CatalogStore } from './catalog-store';
import { GlueCatalog } from './glue-catalog';
import { GlueService } from './glue-service';
import { createPlanCatalog } from './plan-catalog';

const ACCOUNT = '000000000000';
const DB = 'lo_lake';

const sampleRows = (count: number, start = 0): RawRow[] =>
  Array.from({ length: count }, (_, i) => ({
    topic_name: 'orders',
    message_id: `m-${start + i}`,
    event_time: null,
    ingested_at: 1795680001000000,
    json_payload: '{}',
    drift_fields: [],
    receive_count: 1,
    source_queue: 'lo-orders',
  }));

describe('Glue Data Catalog endpoint with @aws-sdk/client-glue', () => {
  let dataDir: string;
  let server: RunningServer;
  let glue: GlueClient;
  let unsupported: string[];

  const start = async () => {
    const catalog = new GlueCatalog(new CatalogStore(dataDir), ACCOUNT);
    await createPlanCatalog(
      catalog,
      {
        databases: [{ address: 'db', name: DB, description: 'lake', parameters: {} }],
        tables: [
          // The table location is on disk here: the catalog and the writer take any FileIO.
          {
            address: 'raw',
            database: DB,
            name: 'raw_events',
            tableType: 'EXTERNAL_TABLE',
            parameters: {},
            location: `file://${join(dataDir, 'wh', 'raw_events')}/`,
            columns: [{ name: 'topic_name', type: 'string' }],
            partitionKeys: [],
            iceberg: { version: '2' },
          },
          { address: 'plain', database: DB, name: 'plain', tableType: 'EXTERNAL_TABLE', parameters: { classification: 'json' }, location: 's3://b/plain/', columns: [], partitionKeys: [] },
        ],
      },
      { io: localFileIO, createdBy: `arn:aws:iam::${ACCOUNT}:user/admin` },
    );
    server = await startServer({ services: [new GlueService(catalog)], onUnsupported: (_s, op) => unsupported.push(op) });
    glue = new GlueClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  };
  const stop = async () => {
    glue.destroy();
    await server.close();
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'glue-int-'));
    unsupported = [];
    await start();
  });
  afterEach(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers GetDatabase, GetDatabases, GetTable and GetTables as Glue shapes them', async () => {
    const { Database } = await glue.send(new GetDatabaseCommand({ Name: DB }));
    expect(Database).toMatchObject({ Name: DB, Description: 'lake', CatalogId: ACCOUNT });
    expect(Database!.CreateTime).toBeInstanceOf(Date);
    expect((await glue.send(new GetDatabasesCommand({}))).DatabaseList!.map((d) => d.Name)).toEqual([DB]);

    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'RAW_EVENTS', CatalogId: ACCOUNT }));
    expect(Table).toMatchObject({ Name: 'raw_events', DatabaseName: DB, TableType: 'EXTERNAL_TABLE', VersionId: '0', CatalogId: ACCOUNT, IsRegisteredWithLakeFormation: false });
    expect(Table!.Parameters).toMatchObject({ table_type: 'ICEBERG', metadata_location: expect.stringMatching(/\/metadata\/00000-[0-9a-f-]+\.metadata\.json$/) });
    expect(Table!.StorageDescriptor).toMatchObject({ Location: expect.stringMatching(/^file:\/\/.*\/raw_events\/$/), Columns: [{ Name: 'topic_name', Type: 'string' }] });
    // A table declared without an Iceberg input stays as declared.
    expect((await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'plain' }))).Table!.Parameters).toEqual({ classification: 'json' });

    expect((await glue.send(new GetTablesCommand({ DatabaseName: DB }))).TableList!.map((t) => t.Name)).toEqual(['plain', 'raw_events']);
    expect((await glue.send(new GetTablesCommand({ DatabaseName: DB, Expression: 'raw.*' }))).TableList!.map((t) => t.Name)).toEqual(['raw_events']);
    const first = await glue.send(new GetTablesCommand({ DatabaseName: DB, MaxResults: 1 }));
    expect(first.TableList!.map((t) => t.Name)).toEqual(['plain']);
    const second = await glue.send(new GetTablesCommand({ DatabaseName: DB, MaxResults: 1, NextToken: first.NextToken }));
    expect([second.TableList!.map((t) => t.Name), second.NextToken]).toEqual([['raw_events'], undefined]);
  });

  it('answers EntityNotFoundException, InvalidInputException and UnknownOperationException as Glue does', async () => {
    await expect(glue.send(new GetDatabaseCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new GetTableCommand({ DatabaseName: 'nope', Name: 'raw_events' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'raw_events', CatalogId: '111111111111' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new UpdateTableCommand({ DatabaseName: DB, TableInput: undefined as never }))).rejects.toBeInstanceOf(InvalidInputException);
    await expect(glue.send(new GetTablesCommand({ DatabaseName: DB, MaxResults: 101 }))).rejects.toBeInstanceOf(InvalidInputException);
    const res = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'AWSGlue.DeleteTable', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('DeleteTable') });
    expect(unsupported).toEqual(['AWSGlue.DeleteTable']);
  });

  it('UpdateTable with a stale VersionId fails with ConcurrentModificationException and changes nothing', async () => {
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'raw_events' }));
    const input = { Name: Table!.Name, TableType: Table!.TableType, StorageDescriptor: Table!.StorageDescriptor, Parameters: { ...Table!.Parameters, note: 'first' } };
    await glue.send(new UpdateTableCommand({ DatabaseName: DB, TableInput: input, VersionId: Table!.VersionId }));
    const stale = glue.send(new UpdateTableCommand({ DatabaseName: DB, TableInput: { ...input, Parameters: { ...input.Parameters, note: 'second' } }, VersionId: Table!.VersionId }));
    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationException);
    const after = (await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'raw_events' }))).Table!;
    expect([after.VersionId, after.Parameters!.note]).toEqual(['1', 'first']);
    expect(after.UpdateTime!.getTime()).toBeGreaterThanOrEqual(after.CreateTime!.getTime());
  });

  it('Iceberg commits move metadata_location; a writer that lost the race retries on the new version; state survives a restart', async () => {
    const writer = () => glueTable({ glue, io: localFileIO, database: DB, table: 'raw_events' });
    await createTable(writer());
    const before = (await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'raw_events' }))).Table!.Parameters!;
    const results = await Promise.all([appendRows(writer(), sampleRows(3)), appendRows(writer(), sampleRows(2, 3)), appendRows(writer(), sampleRows(4, 5))]);
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
    const after = (await glue.send(new GetTableCommand({ DatabaseName: DB, Name: 'raw_events' }))).Table!;
    const newest = results.find((r) => r.version === 3)!;
    expect(after.Parameters).toMatchObject({ table_type: 'ICEBERG', metadata_location: newest.metadataLocation });
    expect(after.Parameters!.previous_metadata_location).toBe(results.find((r) => r.version === 2)!.metadataLocation);
    expect(Number(after.VersionId)).toBe(3);
    expect(before.metadata_location).toMatch(/00000-/);

    await stop();
    await start();
    const state = await readTableState(writer());
    expect([state.version, state.totalRecords, state.snapshots.length]).toEqual([3, 9, 3]);
    expect((await readRows(writer())).map((r) => r.message_id).sort()).toEqual(
      sampleRows(9)
        .map((r) => r.message_id)
        .sort(),
    );
  });

  it('speaks the JSON 1.1 protocol errors shape for a body that is not JSON', async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'AWSGlue.GetTable', 'content-type': 'application/x-amz-json-1.1' }, body: '{' });
    expect([res.status, ((await res.json()) as { __type: string }).__type]).toEqual([400, 'SerializationException']);
  });
});
