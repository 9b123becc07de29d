import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCKS, type BreakerState } from '@lean-ops/contracts';
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

/** Breaker state per topic in the locks table (a previous run of the same data dir may have left one OPEN). */
export async function readBreakerStates(dynamodb: DynamoDBClient, table: string): Promise<Record<string, BreakerState>> {
  const out: Record<string, BreakerState> = {};
  let start: Record<string, never> | undefined;
  do {
    const r = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of r.Items ?? []) {
      const topic = item[LOCKS.attributes.topic]?.S;
      const state = item[LOCKS.attributes.state]?.S;
      if (topic && state) out[topic] = state as BreakerState;
    }
    start = r.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return out;
}
