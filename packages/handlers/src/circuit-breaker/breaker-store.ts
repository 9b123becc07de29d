import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BREAKER_STATES, LOCKS, breakerLockId, type BreakerState } from '@lean-ops/contracts';
import type { BreakerSnapshot } from '../core/breaker-state';

export interface StoredBreaker {
  snapshot: BreakerSnapshot;
  /** null: no item yet (a topic that never tripped is CLOSED). */
  version: number | null;
}

const A = LOCKS.attributes;
const isState = (v: unknown): v is BreakerState => typeof v === 'string' && (BREAKER_STATES as readonly string[]).includes(v);

export async function readBreaker(ddb: DynamoDBClient, table: string, topic: string): Promise<StoredBreaker> {
  const resp = await ddb.send(new GetItemCommand({ TableName: table, Key: { [LOCKS.partitionKey]: { S: breakerLockId(topic) } }, ConsistentRead: true }));
  const item = resp.Item;
  if (!item) return { snapshot: { state: 'CLOSED', changedAt: 0 }, version: null };
  const state = item[A.state]?.S;
  const opened = item[A.openedAt]?.S;
  return {
    snapshot: {
      state: isState(state) ? state : 'CLOSED',
      changedAt: Date.parse(item[A.changedAt]?.S ?? '') || 0,
      openedAt: opened ? Date.parse(opened) || undefined : undefined,
    },
    version: Number(item[A.version]?.N ?? 0),
  };
}

/**
 * Writes the new state only if nobody changed it since we read it (version check). Returns false when another
 * invocation won the race: then it acts, and we must not.
 */
export async function writeBreaker(
  ddb: DynamoDBClient,
  table: string,
  topic: string,
  next: BreakerSnapshot,
  expectedVersion: number | null,
  reason: string,
): Promise<{ written: boolean; version: number }> {
  const version = (expectedVersion ?? 0) + 1;
  const item: Record<string, AttributeValue> = {
    [LOCKS.partitionKey]: { S: breakerLockId(topic) },
    [A.topic]: { S: topic },
    [A.state]: { S: next.state },
    [A.version]: { N: String(version) },
    [A.changedAt]: { S: new Date(next.changedAt).toISOString() },
    [A.reason]: { S: reason },
  };
  if (next.openedAt !== undefined) item[A.openedAt] = { S: new Date(next.openedAt).toISOString() };
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: table,
        Item: item,
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': LOCKS.partitionKey } }
          : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': A.version }, ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } } }),
      }),
    );
    return { written: true, version };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException') {
      return { written: false, version };
    }
    throw err;
  }
}
