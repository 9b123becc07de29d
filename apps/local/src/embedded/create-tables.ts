import { CreateTableCommand, DescribeTimeToLiveCommand, ResourceInUseException, UpdateTimeToLiveCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMAS, createTableInput, type TableKind } from '@lean-ops/contracts';

/** Table kind -> physical table name (e.g. from names.table(prefix, kind)). */
export type TableNames = Partial<Record<TableKind, string>>;

/** Creates the tables that do not exist yet and enables their TTL attribute; safe to call on every start. */
export async function createTables(client: DynamoDBClient, tables: TableNames): Promise<void> {
  for (const [kind, tableName] of Object.entries(tables) as Array<[TableKind, string]>) {
    await ensureTable(client, createTableInput(kind, tableName), TABLE_SCHEMAS[kind].ttlAttribute);
  }
}

/** Creates one table unless it exists, then enables its TTL attribute when it has one; idempotent. */
export async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput, ttlAttribute?: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (err) {
    if (!(err instanceof ResourceInUseException) && (err as { name?: string }).name !== 'ResourceInUseException') throw err;
  }
  if (ttlAttribute) await enableTtl(client, input.TableName!, ttlAttribute);
}

async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }));
  } catch (err) {
    // dynalite implements DescribeTimeToLive but not UpdateTimeToLive; items then simply never expire locally.
    if (!/UnknownOperation/.test((err as { name?: string }).name ?? '')) throw err;
  }
}
