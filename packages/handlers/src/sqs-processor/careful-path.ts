import { randomUUID } from 'node:crypto';
import { MESSAGE_ID_PATTERN } from '@lean-ops/contracts';
import { assessCrash, planCareful, type CarefulPlan, type RecordMarker, type RunMarker } from '../core/crash-state';
import { errorMessage } from '../core/classify-error';
import { readRecordMarkers, readRunMarkers, setRunProgress, writeRecordMarkers, writeRequeueLinks, type MarkerRead, type MarkerStore, type MarkerWrite } from '../lib/crash-markers';
import { logger } from '../lib/logger';
import { requeue } from '../lib/requeue';
import { receiveCountOf } from '../lib/partial-batch';
import { carriedCrashState, markerStore, recordAt, requeuedFrom, topicAt, type BatchState, type DropJob } from './batch-state';
import { quarantineAll } from './quarantine-all';

/** A marker lookup that returned nothing for its key: no evidence, as if unreadable. */
const NO_RESULT: MarkerRead<never> = { error: 'unreadable', detail: 'no result returned for this key' };

/** Share of the invocation's spendable time the marker lookups may take. */
const LOOKUP_SHARE = 0.4;
/** A record is re-queued at most while it has crashed fewer times than this; then it follows the redrive policy. */
export const REQUEUE_CRASH_LIMIT = 25;

/** The producer's message_id without parsing the body (processing it is what crashed); else the SQS id. */
export function producerIdOf(body: string, sqsMessageId: string): string {
  const m = /^\s*\{\s*"message_id"\s*:\s*"([^"\\]{1,256})"/.exec(body) ?? /"message_id"\s*:\s*"([^"\\]{1,256})"/.exec(body);
  const id = m?.[1];
  return id !== undefined && MESSAGE_ID_PATTERN.test(id) ? id : sqsMessageId;
}

/**
 * The path of a batch holding records seen before. Their markers tell which came back from an invocation that
 * never answered; of those, records responsible for N crashes are quarantined (CRASHED_RUNTIME) unread, records
 * on their last receive are re-queued, and the rest run one at a time behind a progress marker, so that a crash
 * pins exactly the record being processed. Returns the indices left for the normal path.
 */
export async function runCareful(b: BatchState, prepare: (index: number) => void, settleEarly: (indices: readonly number[]) => Promise<void>): Promise<number[]> {
  const store = markerStore(b);
  const plans = await planAll(b, store);
  const byPlan = (p: CarefulPlan) => [...plans].filter(([, plan]) => plan === p).map(([i]) => i);
  await Promise.all([quarantineCrashed(b, byPlan('quarantine')), requeueRecords(b, byPlan('requeue'))]);
  const run = byPlan('run');
  // Records on their last receive are finished and deleted first: a crash caused by another record (in the run, or
  // a fresh one) must not cost them the DLQ.
  const lastChance = byPlan('normal').filter((i) => receiveCountOf(recordAt(b, i)) >= b.config.maxReceiveCount);
  if (lastChance.length > 0 && lastChance.length < b.records.length) await settleEarly(lastChance);
  await runInGroups(b, store, run, prepare);
  return b.records.map((_, i) => i).filter((i) => (!plans.has(i) || plans.get(i) === 'normal') && b.outcomes[i] === undefined);
}

async function planAll(b: BatchState, store: MarkerStore): Promise<Map<number, CarefulPlan>> {
  const seen = b.records.map((r, i) => ({ r, i })).filter(({ r }) => receiveCountOf(r) > 1 || carriedCrashState(r) !== undefined);
  // Lookups may use part of the invocation only: the rest is for processing.
  const deadline = Date.now() + b.budget.spendableMs() * LOOKUP_SHARE;
  const reads = await readRecordMarkers(
    store,
    seen.map(({ r, i }) => ({ topic: topicAt(b, i), sqsMessageId: r.messageId })),
    deadline,
  );
  const runs = await readRuns(
    store,
    seen.map(({ i }) => topicAt(b, i)),
    reads,
    deadline,
  );
  const plans = new Map<number, CarefulPlan>();
  const limits = { quarantineAfter: b.config.crashQuarantineAfter, maxReceiveCount: b.config.maxReceiveCount, requeueLimit: REQUEUE_CRASH_LIMIT };
  seen.forEach(({ r, i }, k) => {
    const read = reads[k] ?? NO_RESULT;
    if ('error' in read) {
      // Unreadable (e.g. DynamoDB down): without evidence of a crash the record takes the normal path and its
      // queue's redrive policy, as it would on AWS without crash isolation; re-queueing it as a survivor again and
      // again while the store is down would keep it from the DLQ. No time to read: see planUnread.
      if (read.error === 'unreadable') logger.warn('CRASH_MARKER_FAILED', { sqs_message_id: r.messageId, error: read.detail });
      plans.set(i, read.error === 'unreadable' ? 'normal' : planUnread(b, i));
      return;
    }
    const m = read.marker;
    b.markers.set(i, m);
    const a = assessCrash(receiveCountOf(r), m, carriedCrashState(r), m.runId ? runs.get(`${topicAt(b, i)}\n${m.runId}`) : undefined);
    b.crashStates.set(i, a.state);
    if (a.suspect) b.suspects.add(i);
    plans.set(i, planCareful(receiveCountOf(r), a, limits));
  });
  const tally: Record<string, number> = {};
  for (const p of plans.values()) tally[p] = (tally[p] ?? 0) + 1;
  logger.info('CAREFUL_BATCH', { records: b.records.length, plans: tally, suspects: b.suspects.size });
  return plans;
}

/** The run items the markers point to, by `<topic>\n<run id>`; a run that could not be read is left out. */
async function readRuns(store: MarkerStore, topics: string[], reads: MarkerRead<RecordMarker>[], deadline: number): Promise<Map<string, RunMarker>> {
  const keys = new Map<string, { topic: string; runId: string }>();
  reads.forEach((read, k) => {
    const topic = topics[k];
    if (topic !== undefined && 'marker' in read && read.marker.runId) keys.set(`${topic}\n${read.marker.runId}`, { topic, runId: read.marker.runId });
  });
  const got = await readRunMarkers(store, [...keys.values()], deadline);
  const runs = new Map<string, RunMarker>();
  [...keys.keys()].forEach((key, k) => {
    const read = got[k];
    if (read && 'marker' in read) runs.set(key, read.marker);
  });
  return runs;
}

/**
 * A record whose marker there was no time to read: on its last receive it is re-queued (its history travels as
 * unanswered receives), otherwise it comes back at once, unmarked, to be read by a later invocation.
 */
function planUnread(b: BatchState, i: number): CarefulPlan {
  const r = recordAt(b, i);
  const carried = carriedCrashState(r) ?? { crashes: 0, pins: 0 };
  b.crashStates.set(i, { crashes: carried.crashes + receiveCountOf(r) - 1, pins: carried.pins });
  if (receiveCountOf(r) >= b.config.maxReceiveCount && b.crashStates.get(i)!.crashes < REQUEUE_CRASH_LIMIT) return 'requeue';
  b.outcomes[i] = { status: 'retry', reason: 'TIMEOUT', detail: 'crash marker not read: too little of the invocation left', deferred: true, unmarked: true };
  return 'deferred';
}

function quarantineCrashed(b: BatchState, indices: number[]): Promise<unknown> {
  const jobs: DropJob[] = indices.map((i) => {
    const s = b.crashStates.get(i)!;
    const r = recordAt(b, i);
    logger.error('CRASHED_RUNTIME', { topic: topicAt(b, i), sqs_message_id: r.messageId, crash_count: s.pins, crashes_held: s.crashes });
    return {
      index: i,
      topic: topicAt(b, i),
      messageId: producerIdOf(String(r.body ?? ''), r.messageId),
      reason: 'CRASHED_RUNTIME',
      detail: `its invocation died ${s.pins} time(s) while it was being processed (${s.crashes} invocation(s) holding it never answered)`,
      crashCount: s.pins,
    };
  });
  return quarantineAll(b, jobs);
}

/** Re-queues records (crash state in the copy), marks them `requeued` and links each copy to its original. */
export async function requeueRecords(b: BatchState, indices: number[]): Promise<void> {
  const store = markerStore(b);
  const byQueue = new Map<string, number[]>();
  for (const i of indices) {
    const url = b.config.topics.forQueueArn(String(recordAt(b, i).eventSourceARN ?? ''))?.queueUrl;
    if (url) byQueue.set(url, [...(byQueue.get(url) ?? []), i]);
  }
  for (const [url, list] of byQueue) {
    const copies = await requeue(
      b.deps.sqs,
      url,
      list.map((i) => ({ record: recordAt(b, i), state: b.crashStates.get(i) ?? { crashes: 0, pins: 0 } })),
    );
    const links: Array<{ topic: string; copyMessageId: string; originalMessageId: string }> = [];
    for (const i of list) {
      const original = recordAt(b, i).messageId;
      const copy = copies.get(original);
      if (!copy) continue; // not re-queued: it stays for the run below on its next receive, or its redrive policy
      b.outcomes[i] = { status: 'requeued' };
      logger.warn('REQUEUED', { topic: topicAt(b, i), sqs_message_id: original, copy_message_id: copy, crash_state: b.crashStates.get(i) });
      links.push({ topic: topicAt(b, i), copyMessageId: copy, originalMessageId: original });
    }
    await writeRequeueLinks(store, links, Date.now() + Math.max(0, b.budget.hardStopInMs())).catch(() => undefined);
  }
}

/**
 * The run's order: suspects first, each alone, then the other returned records in groups of about sqrt(n). The
 * group's position goes to the run marker before it is processed, so a crash marks exactly that group: a group of
 * one pins its record, a larger one makes its records suspects for the next receive (one bisection step). A run of
 * n records costs about 2 sqrt(n) sequential marker writes instead of n.
 */
export function runGroups(indices: readonly number[], suspects: ReadonlySet<number>): number[][] {
  const alone = indices.filter((i) => suspects.has(i)).map((i) => [i]);
  const rest = indices.filter((i) => !suspects.has(i));
  const size = Math.max(1, Math.ceil(Math.sqrt(rest.length)));
  const groups: number[][] = [];
  for (let k = 0; k < rest.length; k += size) groups.push(rest.slice(k, k + size));
  return [...alone, ...groups];
}

async function runInGroups(b: BatchState, store: MarkerStore, indices: number[], prepare: (index: number) => void): Promise<void> {
  const [head] = indices;
  if (head === undefined) return;
  const topic = topicAt(b, head);
  const runId = randomUUID();
  let next = 0;
  // each group's records with the marker that places them in the run (seq: the position in the run)
  const groups = runGroups(indices, b.suspects).map((group) => group.map((i) => ({ i, write: markerWrite(b, i, { answered: false, run: { id: runId, seq: next++ } }) })));
  const unwritten = await writeRecordMarkers(
    store,
    groups.flat().map((g) => g.write),
    Date.now() + b.budget.spendableMs() / 2,
  );
  const unmarked = (i: number) => {
    // Unmarked: it stays a crash survivor (unanswered) and runs carefully on its next receive.
    b.outcomes[i] = { status: 'retry', reason: 'TIMEOUT', detail: 'careful run stopped: no time or no progress marker', deferred: true, unmarked: true };
  };
  let seq = 0;
  for (const group of groups) {
    const first = seq;
    seq += group.length;
    const ready = group.filter((g) => !unwritten.has(g.write)).map((g) => g.i);
    group.filter((g) => unwritten.has(g.write)).forEach((g) => unmarked(g.i));
    if (ready.length === 0) continue;
    try {
      if (!b.budget.canStart(b.deliverables.length + ready.length)) throw new Error('not started');
      await setRunProgress(store, topic, runId, first, seq);
    } catch {
      ready.forEach(unmarked);
      continue;
    }
    ready.forEach(prepare);
  }
  await setRunProgress(store, topic, runId, -1).catch((err) => logger.warn('CRASH_MARKER_FAILED', { run_id: runId, error: errorMessage(err) }));
}

/** The marker a record gets at this receive, carrying the link a re-queued copy was given. */
export function markerWrite(b: BatchState, i: number, extra: Pick<MarkerWrite, 'answered' | 'run'>): MarkerWrite {
  const r = recordAt(b, i);
  const requeueOf = requeuedFrom(r) ?? b.markers.get(i)?.requeueOf;
  return {
    topic: topicAt(b, i),
    sqsMessageId: r.messageId,
    receiveCount: receiveCountOf(r),
    state: b.crashStates.get(i) ?? { crashes: 0, pins: 0 },
    ...(extra.answered ? { answered: true } : {}),
    ...(extra.run ? { run: extra.run } : {}),
    ...(requeueOf ? { requeueOf } : {}),
  };
}
