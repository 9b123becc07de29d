import { CreateTableCommand, DescribeTimeToLiveCommand, ResourceInUseException, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '../plan/topology';

/** Creates the plan's DynamoDB tables (keys and attribute types as synthesized) and enables their TTL; idempotent. */
export async function createPlanTables(client: DynamoDBClient, tables: readonly TableSpec[]): Promise<void> {
  for (const t of tables) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: t.name,
          AttributeDefinitions: t.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
          KeySchema: [{ AttributeName: t.hashKey, KeyType: 'HASH' }, ...(t.rangeKey ? [{ AttributeName: t.rangeKey, KeyType: 'RANGE' as const }] : [])],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceInUseException) && (err as { name?: string }).name !== 'ResourceInUseException') throw err;
    }
    if (t.ttlAttribute) await enableTtl(client, t.name, t.ttlAttribute);
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
