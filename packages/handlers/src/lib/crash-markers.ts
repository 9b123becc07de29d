import { UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CRASH_MARKERS, ERRORS } from '@lean-ops/contracts';
import type { CrashState, RecordMarker, RunMarker } from '../core/crash-state';
import { ttlEpochSeconds } from './checkpoints';
import { batchGet, batchPut, type GetResult } from './ddb-batch';

/**
 * Crash-isolation markers in the errors table. A batch's markers are read and written a hundred / twenty-five at a
 * time (BatchGetItem / BatchWriteItem: a per-record call does not fit a 1,000-record batch in its invocation);
 * single items by UpdateItem, which also reads (ReturnValues ALL_OLD) and refreshes the TTL.
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

function markerOf(item: Record<string, AttributeValue> | undefined): RecordMarker {
  return {
    seenReceive: num(item, A.seenReceive),
    answeredReceive: num(item, A.answeredReceive),
    crashCount: num(item, A.crashCount),
    crashPins: num(item, A.crashPins),
    runId: item?.[A.runId]?.S,
    runSeq: num(item, A.runSeq),
    runReceive: num(item, A.runReceive),
    requeueOf: item?.[A.requeueOf]?.S,
  };
}

const runOf = (item: Record<string, AttributeValue> | undefined): RunMarker => ({ last: num(item, A.runLast), end: num(item, A.runEnd) });

export async function readRecordMarker(s: MarkerStore, topic: string, sqsMessageId: string): Promise<RecordMarker> {
  return markerOf(await update(s, recordKey(topic, sqsMessageId), {}, true));
}

export async function readRunMarker(s: MarkerStore, topic: string, runId: string): Promise<RunMarker> {
  return runOf(await update(s, runKey(topic, runId), {}, true));
}

const KEY_NAMES = [ERRORS.partitionKey, ERRORS.sortKey];
export type MarkerRead<T> = { marker: T } | { error: 'unreadable' | 'no-time'; detail: string };
const toRead = <T>(r: GetResult, of: (item: Record<string, AttributeValue> | undefined) => T): MarkerRead<T> => ('item' in r ? { marker: of(r.item) } : r);

/** The markers of many records at once, in order; one that could not be read says why. */
export async function readRecordMarkers(s: MarkerStore, keys: ReadonlyArray<{ topic: string; sqsMessageId: string }>, deadline: number): Promise<MarkerRead<RecordMarker>[]> {
  const got = await batchGet(
    s.ddb,
    s.table,
    KEY_NAMES,
    keys.map((k) => recordKey(k.topic, k.sqsMessageId)),
    { deadline },
  );
  return got.map((r) => toRead(r, markerOf));
}

export async function readRunMarkers(s: MarkerStore, keys: ReadonlyArray<{ topic: string; runId: string }>, deadline: number): Promise<MarkerRead<RunMarker>[]> {
  const got = await batchGet(
    s.ddb,
    s.table,
    KEY_NAMES,
    keys.map((k) => runKey(k.topic, k.runId)),
    { deadline },
  );
  return got.map((r) => toRead(r, runOf));
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

export interface MarkerWrite {
  topic: string;
  sqsMessageId: string;
  receiveCount: number;
  state: CrashState;
  answered?: boolean;
  run?: { id: string; seq: number };
  /** Carried over from the marker read earlier (the report tells re-queued copies by it). */
  requeueOf?: string;
}

/**
 * Whole marker items, written 25 per call. A put replaces the item: what an older receive wrote and this one did not
 * read is obsolete (assessCrash only looks at fields written at `seenReceive`), except `requeueOf`, carried over.
 * Returns the writes that did not happen.
 */
export async function writeRecordMarkers(s: MarkerStore, writes: readonly MarkerWrite[], deadline: number): Promise<Set<MarkerWrite>> {
  const items = writes.map((w) => {
    const item: Record<string, AttributeValue> = {
      ...recordKey(w.topic, w.sqsMessageId),
      [ERRORS.ttlAttribute]: n(ttlEpochSeconds(s.now, s.ttlDays)),
      [A.seenReceive]: n(w.receiveCount),
      [A.crashCount]: n(w.state.crashes),
      [A.crashPins]: n(w.state.pins),
    };
    if (w.answered) item[A.answeredReceive] = n(w.receiveCount);
    if (w.run) Object.assign(item, { [A.runId]: { S: w.run.id }, [A.runSeq]: n(w.run.seq), [A.runReceive]: n(w.receiveCount) });
    if (w.requeueOf) item[A.requeueOf] = { S: w.requeueOf };
    return item;
  });
  const failed = await batchPut(s.ddb, s.table, items, { deadline });
  return new Set(
    writes.filter((_, k) => {
      const item = items[k];
      return item !== undefined && failed.has(item);
    }),
  );
}

/**
 * Before processing the run's positions [last, end) (and -1 after the last group): a crash now is pinned to the
 * group, to its one record when the group holds one.
 */
export async function setRunProgress(s: MarkerStore, topic: string, runId: string, last: number, end = last < 0 ? last : last + 1): Promise<void> {
  await update(s, runKey(topic, runId), { [A.runLast]: n(last), [A.runEnd]: n(end) });
}

/**
 * Links re-queued copies to their originals (the local report tells processor re-queues from producer re-sends).
 * A copy's item does not exist yet: the link is its first content.
 */
export async function writeRequeueLinks(s: MarkerStore, links: ReadonlyArray<{ topic: string; copyMessageId: string; originalMessageId: string }>, deadline: number): Promise<void> {
  const ttl = n(ttlEpochSeconds(s.now, s.ttlDays));
  const items = links.map((l) => ({ ...recordKey(l.topic, l.copyMessageId), [ERRORS.ttlAttribute]: ttl, [A.requeueOf]: { S: l.originalMessageId } }));
  await batchPut(s.ddb, s.table, items, { deadline });
}
