import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ERRORS, ERROR_REDRIVE_ATTRIBUTES, type ErrorStatus } from '@lean-ops/contracts';

const REDRIVEN: ErrorStatus = 'REDRIVEN';

const key = (topic: string, messageId: string) => ({ [ERRORS.partitionKey]: { S: topic }, [ERRORS.sortKey]: { S: messageId } });

export type ClaimResult = { claimed: true; previousStatus: ErrorStatus | undefined } | { claimed: false };

/**
 * Marks an error-tracker item REDRIVEN unless it already is: the conditional update is the claim, so two runs
 * (or two operators) never replay the same message. `requireItem` leaves messages without an item alone
 * (DLQ mode: the message is not archived yet); otherwise a missing item (expired by TTL) is created.
 */
export async function claimRedrive(ddb: DynamoDBClient, table: string, item: { topic: string; messageId: string; archiveKey?: string }, now: Date, requireItem = false): Promise<ClaimResult> {
  const r = ERROR_REDRIVE_ATTRIBUTES;
  const names: Record<string, string> = { '#st': ERRORS.attributes.status, '#ra': r.redrivenAt, '#rc': r.redriveCount };
  const values: Record<string, { S: string } | { N: string }> = { ':r': { S: REDRIVEN }, ':now': { S: now.toISOString() }, ':zero': { N: '0' }, ':one': { N: '1' } };
  let update = 'SET #st = :r, #ra = :now, #rc = if_not_exists(#rc, :zero) + :one';
  if (item.archiveKey) {
    names['#ak'] = ERRORS.attributes.archiveKey;
    values[':ak'] = { S: item.archiveKey };
    update += ', #ak = if_not_exists(#ak, :ak)';
  }
  // DynamoDB refuses expression names an expression does not use: #pk only when the condition needs it.
  if (requireItem) names['#pk'] = ERRORS.partitionKey;
  const condition = requireItem ? 'attribute_exists(#pk) AND #st <> :r' : 'attribute_not_exists(#st) OR #st <> :r';
  try {
    const out = await ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key(item.topic, item.messageId),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const previous = out.Attributes?.[ERRORS.attributes.status]?.S as ErrorStatus | undefined;
    return { claimed: true, previousStatus: previous };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return { claimed: false };
    throw err;
  }
}

/** Gives a claim back after the send failed, so the next run replays the message. */
export async function releaseClaim(ddb: DynamoDBClient, table: string, item: { topic: string; messageId: string }, previousStatus: ErrorStatus | undefined): Promise<void> {
  const names = { '#st': ERRORS.attributes.status, '#rc': ERROR_REDRIVE_ATTRIBUTES.redriveCount };
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key(item.topic, item.messageId),
        UpdateExpression: previousStatus ? 'SET #st = :prev, #rc = #rc - :one' : 'REMOVE #st SET #rc = #rc - :one',
        ConditionExpression: '#st = :r',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':r': { S: REDRIVEN }, ':one': { N: '1' }, ...(previousStatus ? { ':prev': { S: previousStatus } } : {}) },
      }),
    );
  } catch (err) {
    if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
  }
}

/** The item's status, for dry runs. */
export async function currentStatus(ddb: DynamoDBClient, table: string, topic: string, messageId: string): Promise<ErrorStatus | undefined> {
  const out = await ddb.send(new GetItemCommand({ TableName: table, Key: key(topic, messageId), ConsistentRead: true }));
  return out.Item?.[ERRORS.attributes.status]?.S as ErrorStatus | undefined;
}
