import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CHECKPOINTS } from '@lean-ops/contracts';

/** Every counter attribute of a checkpoint window (all of CHECKPOINTS.attributes but the timestamp). */
export type CounterName = Exclude<keyof typeof CHECKPOINTS.attributes, 'updatedAt'>;
export type Counters = Partial<Record<CounterName, number>>;

const DAY_SECONDS = 86_400;
export const ttlEpochSeconds = (now: Date, days: number) => Math.floor(now.getTime() / 1000) + Math.round(days * DAY_SECONDS);

/** One atomic ADD of a batch's counts to the topic's minute window (no per-record writes on the hot path). */
export async function addCheckpointCounts(ddb: DynamoDBClient, table: string, topic: string, window: string, counts: Counters, now: Date, ttlDays: number): Promise<void> {
  const names: Record<string, string> = { '#ttl': CHECKPOINTS.ttlAttribute, '#upd': CHECKPOINTS.attributes.updatedAt };
  const values: Record<string, { N: string } | { S: string }> = {
    ':ttl': { N: String(ttlEpochSeconds(now, ttlDays)) },
    ':upd': { S: now.toISOString() },
  };
  const adds: string[] = [];
  for (const [name, value] of Object.entries(counts) as Array<[CounterName, number]>) {
    names[`#${name}`] = CHECKPOINTS.attributes[name];
    values[`:${name}`] = { N: String(value) };
    adds.push(`#${name} :${name}`);
  }
  await ddb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { [CHECKPOINTS.partitionKey]: { S: topic }, [CHECKPOINTS.sortKey]: { S: window } },
      UpdateExpression: `SET #ttl = :ttl, #upd = :upd${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}
