import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMAS, type TableKind } from '@lean-ops/contracts';

/** Table kind -> physical table name (e.g. from names.table(prefix, kind)). */
export type TableNames = Partial<Record<TableKind, string>>;

/** CreateTable input for one kind, from the shared key schema (string keys, on-demand billing as StateModule). */
export function createTableInput(kind: TableKind, tableName: string) {
  const schema = TABLE_SCHEMAS[kind];
  const keys: KeySchemaElement[] = [{ AttributeName: schema.partitionKey, KeyType: 'HASH' }];
  const attrs: AttributeDefinition[] = [{ AttributeName: schema.partitionKey, AttributeType: 'S' }];
  if (schema.sortKey) {
    keys.push({ AttributeName: schema.sortKey, KeyType: 'RANGE' });
    attrs.push({ AttributeName: schema.sortKey, AttributeType: 'S' });
  }
  return { TableName: tableName, KeySchema: keys, AttributeDefinitions: attrs, BillingMode: 'PAY_PER_REQUEST' as const };
}

/** Creates the tables that do not exist yet and enables their TTL attribute; safe to call on every start. */
export async function createTables(client: DynamoDBClient, tables: TableNames): Promise<void> {
  for (const [kind, tableName] of Object.entries(tables) as Array<[TableKind, string]>) {
    try {
      await client.send(new CreateTableCommand(createTableInput(kind, tableName)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException) && (err as { name?: string }).name !== 'ResourceInUseException') throw err;
    }
    await enableTtl(client, tableName, TABLE_SCHEMAS[kind].ttlAttribute);
  }
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
