import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand, type EventSourceMappingConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { BREAKER_STATES, LOCKS, breakerLockId, queueNameFromArn, type BreakerState } from '@lean-ops/contracts';

/** The breaker's state of a topic as the circuit breaker stores it (no item: it never tripped, CLOSED). */
export async function readBreakerState(ddb: DynamoDBClient, table: string, topic: string): Promise<{ state: BreakerState; openedAt?: string; version?: number }> {
  const { Item } = await ddb.send(new GetItemCommand({ TableName: table, Key: { [LOCKS.partitionKey]: { S: breakerLockId(topic) } }, ConsistentRead: true }));
  if (!Item) return { state: 'CLOSED' };
  const state = Item[LOCKS.attributes.state]?.S;
  if (!(BREAKER_STATES as readonly string[]).includes(state ?? '')) throw new Error(`${table} ${breakerLockId(topic)}: unknown breaker state ${JSON.stringify(state)}`);
  return {
    state: state as BreakerState,
    openedAt: Item[LOCKS.attributes.openedAt]?.S,
    version: Item[LOCKS.attributes.version]?.N === undefined ? undefined : Number(Item[LOCKS.attributes.version]?.N),
  };
}

/** The processor's mapping of one queue (by queue name), or an error naming what was found. */
export async function findTopicMapping(lambda: LambdaClient, functionName: string, queueName: string): Promise<EventSourceMappingConfiguration> {
  const found: EventSourceMappingConfiguration[] = [];
  let Marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker }));
    found.push(...(page.EventSourceMappings ?? []).filter((m) => m.EventSourceArn && queueNameFromArn(m.EventSourceArn) === queueName));
    Marker = page.NextMarker;
  } while (Marker);
  const [only] = found;
  if (found.length !== 1 || !only) throw new Error(`expected one event source mapping of ${functionName} for queue ${queueName}, found ${found.length}`);
  return only;
}

/**
 * Sets only the maximum concurrency: `Enabled` is the breaker's and stays as it is. A mapping still applying an earlier
 * change answers ResourceInUseException (Lambda API reference, UpdateEventSourceMapping): wait and try again, 30 s at most.
 */
export async function setMaximumConcurrency(lambda: LambdaClient, uuid: string, value: number, waitMs = 30_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ScalingConfig: { MaximumConcurrency: value } }));
      return;
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceInUseException' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
