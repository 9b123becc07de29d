import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ERRORS, type ErrorStatus } from '@lean-ops/contracts';
import { ttlEpochSeconds } from './checkpoints';

export interface ErrorItem {
  topic: string;
  messageId: string;
  errorClass: string;
  errorCode?: string;
  lastError: string;
  receiveCount: number;
  archiveKey: string;
  payloadSha256: string;
  status: ErrorStatus;
  sourceQueue: string;
}

/** Upsert keyed by (topic, message id): a redelivered message updates the same item, first_seen is kept. */
export async function upsertErrorItem(ddb: DynamoDBClient, table: string, item: ErrorItem, now: Date, ttlDays: number): Promise<void> {
  const a = ERRORS.attributes;
  const set: Array<[string, string, { S: string } | { N: string }]> = [
    [a.errorClass, 'ec', { S: item.errorClass }],
    [a.lastError, 'le', { S: item.lastError || '-' }],
    [a.lastSeen, 'ls', { S: now.toISOString() }],
    [a.receiveCount, 'rc', { N: String(item.receiveCount) }],
    [a.archiveKey, 'ak', { S: item.archiveKey }],
    [a.payloadSha256, 'ps', { S: item.payloadSha256 }],
    [a.status, 'st', { S: item.status }],
    [a.sourceQueue, 'sq', { S: item.sourceQueue || '-' }],
    [ERRORS.ttlAttribute, 'tt', { N: String(ttlEpochSeconds(now, ttlDays)) }],
  ];
  if (item.errorCode) set.push([a.errorCode, 'eo', { S: item.errorCode }]);
  const names: Record<string, string> = { '#fs': a.firstSeen };
  const values: Record<string, { S: string } | { N: string }> = { ':fs': { S: now.toISOString() } };
  for (const [attr, alias, value] of set) {
    names[`#${alias}`] = attr;
    values[`:${alias}`] = value;
  }
  await ddb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { [ERRORS.partitionKey]: { S: item.topic }, [ERRORS.sortKey]: { S: item.messageId } },
      UpdateExpression: `SET #fs = if_not_exists(#fs, :fs), ${set.map(([, alias]) => `#${alias} = :${alias}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}
