import { ConcurrentModificationException, GetTableCommand, UpdateTableCommand, type GlueClient, type Table } from '@aws-sdk/client-glue';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localFileIO } from './file-io';
import { glueTable, metadataVersion } from './glue-table-operations';
import { initialMetadata } from './table-metadata';

/** Glue answering GetTable with `table` and UpdateTable as `update` decides (the calls are recorded). */
function fakeGlue(table: () => Table, update: (input: UpdateTableCommand['input']) => void) {
  const calls: string[] = [];
  const glue = {
    send: async (command: unknown) => {
      if (command instanceof GetTableCommand) return calls.push('GetTable') && { Table: table() };
      if (command instanceof UpdateTableCommand) return calls.push('UpdateTable') && (update(command.input), {});
      throw new Error('unexpected command');
    },
  } as unknown as GlueClient;
  return { glue, calls };
}

describe('Glue table operations', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'glue-ops-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const location = () => `file://${dir}/t`;
  const base = async () => {
    const first = `${location()}/metadata/00000-a.metadata.json`;
    await localFileIO.write(first, JSON.stringify(initialMetadata(location(), 1)));
    return { version: 0, metadata: initialMetadata(location(), 1), metadataLocation: first };
  };
  const metadataFiles = async () => (await fs.readdir(path.join(dir, 't', 'metadata'))).sort();

  it('commits with the VersionId it read and the old location as previous_metadata_location', async () => {
    const b = await base();
    let sent: UpdateTableCommand['input'] | undefined;
    const { glue, calls } = fakeGlue(
      () => ({ Name: 't', VersionId: '7', TableType: 'EXTERNAL_TABLE', Parameters: { table_type: 'ICEBERG', metadata_location: b.metadataLocation, owner_note: 'kept' } }),
      (input) => (sent = input),
    );
    const next = await glueTable({ glue, io: localFileIO, database: 'd', table: 't' }).commit(b, b.metadata);
    expect(calls).toEqual(['GetTable', 'UpdateTable']);
    expect(metadataVersion(next!)).toBe(1);
    expect(sent).toMatchObject({ DatabaseName: 'd', VersionId: '7', TableInput: { Name: 't', TableType: 'EXTERNAL_TABLE' } });
    expect(sent!.TableInput!.Parameters).toEqual({ table_type: 'ICEBERG', metadata_location: next, previous_metadata_location: b.metadataLocation, owner_note: 'kept' });
    expect(await metadataFiles()).toEqual(['00000-a.metadata.json', path.basename(next!)].sort());
  });

  it('a table moved by another writer, or a stale VersionId, loses the race and leaves no metadata file behind', async () => {
    const b = await base();
    const moved = fakeGlue(
      () => ({ Name: 't', VersionId: '8', Parameters: { table_type: 'ICEBERG', metadata_location: `${location()}/metadata/00001-other.metadata.json` } }),
      () => undefined,
    );
    expect(await glueTable({ glue: moved.glue, io: localFileIO, database: 'd', table: 't' }).commit(b, b.metadata)).toBeUndefined();
    expect(moved.calls).toEqual(['GetTable']);
    const stale = fakeGlue(
      () => ({ Name: 't', VersionId: '8', Parameters: { table_type: 'ICEBERG', metadata_location: b.metadataLocation } }),
      () => {
        throw new ConcurrentModificationException({ message: 'concurrent', $metadata: {} });
      },
    );
    expect(await glueTable({ glue: stale.glue, io: localFileIO, database: 'd', table: 't' }).commit(b, b.metadata)).toBeUndefined();
    expect(await metadataFiles()).toEqual(['00000-a.metadata.json']);
  });

  it('refuses a Glue table that is not an Iceberg table', async () => {
    const { glue } = fakeGlue(
      () => ({ Name: 't', Parameters: { classification: 'json' } }),
      () => undefined,
    );
    await expect(glueTable({ glue, io: localFileIO, database: 'd', table: 't' }).current()).rejects.toThrow(/not an Iceberg table/);
  });
});
