import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CHECKPOINTS, minuteWindow } from '@lean-ops/contracts';
import type { ProbeCounts } from '../core/breaker-state';
import type { CheckpointCounts } from '../core/water-balance';

/** The topic's checkpoint windows from `since` on, or up to `before` inclusive (the probe and the water balance read these). */
export async function readWindowsSince(ddb: DynamoDBClient, table: string, topic: string, since: Date, before?: Date): Promise<FullWindowCounts[]> {
  const out: FullWindowCounts[] = [];
  let start: Record<string, AttributeValue> | undefined;
  const names = { '#pk': CHECKPOINTS.partitionKey, '#sk': CHECKPOINTS.sortKey };
  const values: Record<string, AttributeValue> = { ':t': { S: topic }, ':since': { S: minuteWindow(since) } };
  if (before) values[':before'] = { S: minuteWindow(before) };
  do {
    const resp = await ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: before ? '#pk = :t AND #sk BETWEEN :since AND :before' : '#pk = :t AND #sk >= :since',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of resp.Items ?? []) out.push(windowCounts(item));
    start = resp.LastEvaluatedKey;
  } while (start);
  return out;
}

/** One checkpoint window: water-balance counts and the breaker probe's first-receive counts. */
export interface FullWindowCounts extends CheckpointCounts, ProbeCounts {
  window: string;
}

export function windowCounts(item: Record<string, AttributeValue>): FullWindowCounts {
  // Windows written before an attribute existed read as 0 (DynamoDB ADD creates attributes on first use).
  const n = (attr: string) => Number(item[attr]?.N ?? 0);
  const c = CHECKPOINTS.attributes;
  return {
    window: item[CHECKPOINTS.sortKey]?.S ?? '',
    received: n(c.received),
    delivered: n(c.delivered),
    dropped: n(c.dropped),
    retried: n(c.retried),
    dlqArchived: n(c.dlqArchived),
    firstReceived: n(c.firstReceived),
    firstFailed: n(c.firstFailed),
  };
}
