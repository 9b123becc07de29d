import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../embedded';
import type { TableSpec } from '../plan/topology';

/** Creates the plan's DynamoDB tables (keys and attribute types as synthesized) and enables their TTL; idempotent. */
export async function createPlanTables(client: DynamoDBClient, tables: readonly TableSpec[]): Promise<void> {
  for (const t of tables) {
    const input = {
      TableName: t.name,
      AttributeDefinitions: t.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [{ AttributeName: t.hashKey, KeyType: 'HASH' as const }, ...(t.rangeKey ? [{ AttributeName: t.rangeKey, KeyType: 'RANGE' as const }] : [])],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    await ensureTable(client, input, t.ttlAttribute);
  }
}
