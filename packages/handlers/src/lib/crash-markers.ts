import { UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CRASH_MARKERS, ERRORS } from '@lean-ops/contracts';
import type { CrashState, RecordMarker, RunMarker } from '../core/crash-state';
import { ttlEpochSeconds } from './checkpoints';

/**
 * Crash-isolation markers in the errors table. The processor may only UpdateItem there (least privilege), so a
 * read is an UpdateItem that refreshes the TTL and returns the old item (ReturnValues ALL_OLD).
 */
export interface MarkerStore {
  ddb: DynamoDBClient;
  table: string;
  ttlDays: number;
  now: Date;
}

const A = CRASH_MARKERS.attributes;
const recordKey = (topic: string, sqsMessageId: string) => key(topic, `${CRASH_MARKERS.recordPrefix}${sqsMessageId}`);
const runKey = (topic: string, runId: string) => key(topic, `${CRASH_MARKERS.runPrefix}${runId}`);
function key(topic: string, sk: string): Record<string, AttributeValue> {
  return { [ERRORS.partitionKey]: { S: topic }, [ERRORS.sortKey]: { S: sk } };
}

const num = (item: Record<string, AttributeValue> | undefined, attr: string) => (item?.[attr]?.N !== undefined ? Number(item[attr].N) : undefined);

async function update(s: MarkerStore, k: Record<string, AttributeValue>, set: Record<string, AttributeValue>, returnOld = false) {
  const names: Record<string, string> = { '#ttl': ERRORS.ttlAttribute };
  const values: Record<string, AttributeValue> = { ':ttl': { N: String(ttlEpochSeconds(s.now, s.ttlDays)) } };
  const parts = ['#ttl = :ttl'];
  for (const [attr, v] of Object.entries(set)) {
    names[`#${attr}`] = attr;
    values[`:${attr}`] = v;
    parts.push(`#${attr} = :${attr}`);
  }
  const resp = await s.ddb.send(
    new UpdateItemCommand({
      TableName: s.table,
      Key: k,
      UpdateExpression: `SET ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(returnOld ? { ReturnValues: 'ALL_OLD' as const } : {}),
    }),
  );
  return resp.Attributes;
}

export async function readRecordMarker(s: MarkerStore, topic: string, sqsMessageId: string): Promise<RecordMarker> {
  const item = await update(s, recordKey(topic, sqsMessageId), {}, true);
  return {
    seenReceive: num(item, A.seenReceive),
    answeredReceive: num(item, A.answeredReceive),
    crashCount: num(item, A.crashCount),
    crashPins: num(item, A.crashPins),
    runId: item?.[A.runId]?.S,
    runSeq: num(item, A.runSeq),
    runReceive: num(item, A.runReceive),
  };
}

export async function readRunMarker(s: MarkerStore, topic: string, runId: string): Promise<RunMarker> {
  return { last: num(await update(s, runKey(topic, runId), {}, true), A.runLast) };
}

const n = (v: number): AttributeValue => ({ N: String(v) });

/** The record's crash state as of this receive, and (careful run) where it sits in the run. */
export async function writeRecordMarker(
  s: MarkerStore,
  topic: string,
  sqsMessageId: string,
  receiveCount: number,
  state: CrashState,
  extra: { answered?: boolean; run?: { id: string; seq: number } } = {},
): Promise<void> {
  const set: Record<string, AttributeValue> = { [A.seenReceive]: n(receiveCount), [A.crashCount]: n(state.crashes), [A.crashPins]: n(state.pins) };
  if (extra.answered) set[A.answeredReceive] = n(receiveCount);
  if (extra.run) Object.assign(set, { [A.runId]: { S: extra.run.id }, [A.runSeq]: n(extra.run.seq), [A.runReceive]: n(receiveCount) });
  await update(s, recordKey(topic, sqsMessageId), set);
}

/** Before processing the run's record `seq` (and -1 after the last): the position a crash is pinned to. */
export async function setRunProgress(s: MarkerStore, topic: string, runId: string, seq: number): Promise<void> {
  await update(s, runKey(topic, runId), { [A.runLast]: n(seq) });
}

/** Links a re-queued copy to its original (the local report tells processor re-queues from producer re-sends). */
export async function markRequeued(s: MarkerStore, topic: string, copyMessageId: string, originalMessageId: string): Promise<void> {
  await update(s, recordKey(topic, copyMessageId), { [A.requeueOf]: { S: originalMessageId } });
}
