import { randomUUID } from 'node:crypto';
import { MESSAGE_ID_PATTERN } from '@lean-ops/contracts';
import { assessCrash, planCareful, type CarefulPlan, type RecordMarker, type RunMarker } from '../core/crash-state';
import { errorMessage } from '../core/classify-error';
import { markRequeued, readRecordMarker, readRunMarker, setRunProgress, writeRecordMarker, type MarkerStore } from '../lib/crash-markers';
import { logger } from '../lib/logger';
import { mapLimit } from '../lib/map-limit';
import { requeue } from '../lib/requeue';
import { carriedCrashState, markerStore, receiveCountOf, type BatchState, type DropJob } from './batch-state';
import { quarantineAll } from './process-batch';

const LOOKUP_CONCURRENCY = 16;
/** Share of the invocation's spendable time the marker lookups may take. */
const LOOKUP_SHARE = 0.4;
/** A record is re-queued at most while it has crashed fewer times than this; then it follows the redrive policy. */
export const REQUEUE_CRASH_LIMIT = 25;

/** The producer's message_id without parsing the body (processing it is what crashed); else the SQS id. */
export function producerIdOf(body: string, sqsMessageId: string): string {
  const m = /^\s*\{\s*"message_id"\s*:\s*"([^"\\]{1,256})"/.exec(body) ?? /"message_id"\s*:\s*"([^"\\]{1,256})"/.exec(body);
  return m && MESSAGE_ID_PATTERN.test(m[1]) ? m[1] : sqsMessageId;
}

/**
 * The path of a batch holding records seen before. Their markers tell which came back from an invocation that
 * never answered; of those, records responsible for N crashes are quarantined (CRASHED_RUNTIME) unread, records
 * on their last receive are re-queued, and the rest run one at a time behind a progress marker, so that a crash
 * pins exactly the record being processed. Returns the indices left for the normal path.
 */
export async function runCareful(
  b: BatchState,
  prepare: (index: number) => void,
  settleEarly: (indices: readonly number[]) => Promise<void>,
): Promise<number[]> {
  const store = markerStore(b);
  const plans = await planAll(b, store);
  const byPlan = (p: CarefulPlan) => [...plans].filter(([, plan]) => plan === p).map(([i]) => i);
  await Promise.all([quarantineCrashed(b, byPlan('quarantine')), requeueRecords(b, byPlan('requeue'))]);
  const run = byPlan('run');
  // Records on their last receive are finished and deleted first: a crash caused by another record (in the run, or
  // a fresh one) must not cost them the DLQ.
  const lastChance = byPlan('normal').filter((i) => receiveCountOf(b.records[i]) >= b.config.maxReceiveCount);
  if (lastChance.length > 0 && lastChance.length < b.records.length) await settleEarly(lastChance);
  await runOneByOne(b, store, run, prepare);
  return b.records.map((_, i) => i).filter((i) => (!plans.has(i) || plans.get(i) === 'normal') && b.outcomes[i] === undefined);
}

async function planAll(b: BatchState, store: MarkerStore): Promise<Map<number, CarefulPlan>> {
  const seen = b.records.map((r, i) => ({ r, i })).filter(({ r }) => receiveCountOf(r) > 1 || carriedCrashState(r) !== undefined);
  // Lookups may use part of the invocation only: the rest is for processing (one call per record adds up).
  const stopAt = b.budget.spendableMs() * (1 - LOOKUP_SHARE);
  const skipped = new Set<number>();
  const unreadable = new Set<number>();
  const markers = await mapLimit(seen, LOOKUP_CONCURRENCY, async ({ r, i }): Promise<RecordMarker | undefined> => {
    if (b.budget.spendableMs() < stopAt) {
      skipped.add(i);
      return undefined;
    }
    try {
      return await readRecordMarker(store, b.topicOf[i], r.messageId);
    } catch (err) {
      // The marker store is unreachable (e.g. DynamoDB down): without evidence of a crash the record takes the
      // normal path and its queue's redrive policy, as it would on AWS without crash isolation. Treating it as a
      // survivor would re-queue it again and again while the store is down, keeping it from the DLQ.
      logger.warn('CRASH_MARKER_FAILED', { sqs_message_id: r.messageId, error: errorMessage(err) });
      unreadable.add(i);
      return undefined;
    }
  });
  const runIds = [...new Set(markers.map((m, k) => (m?.runId ? `${b.topicOf[seen[k].i]}\n${m.runId}` : '')).filter(Boolean))];
  const runs = new Map<string, RunMarker>();
  await mapLimit(runIds, LOOKUP_CONCURRENCY, async (key) => {
    const [topic, id] = key.split('\n');
    runs.set(key, await readRunMarker(store, topic, id).catch(() => ({})));
  });
  const plans = new Map<number, CarefulPlan>();
  const limits = { quarantineAfter: b.config.crashQuarantineAfter, maxReceiveCount: b.config.maxReceiveCount, requeueLimit: REQUEUE_CRASH_LIMIT };
  seen.forEach(({ r, i }, k) => {
    if (skipped.has(i)) {
      plans.set(i, planUnread(b, i));
      return;
    }
    if (unreadable.has(i)) {
      plans.set(i, 'normal');
      return;
    }
    const m = markers[k];
    const run = m?.runId ? runs.get(`${b.topicOf[i]}\n${m.runId}`) : undefined;
    const a = assessCrash(receiveCountOf(r), m, carriedCrashState(r), run);
    b.crashStates.set(i, a.state);
    plans.set(i, planCareful(receiveCountOf(r), a, limits));
  });
  const tally: Record<string, number> = {};
  for (const p of plans.values()) tally[p] = (tally[p] ?? 0) + 1;
  logger.info('CAREFUL_BATCH', { records: b.records.length, plans: tally });
  return plans;
}

/**
 * A record whose marker there was no time to read: on its last receive it is re-queued (its history travels as
 * unanswered receives), otherwise it comes back at once, unmarked, to be read by a later invocation.
 */
function planUnread(b: BatchState, i: number): CarefulPlan {
  const r = b.records[i];
  const carried = carriedCrashState(r) ?? { crashes: 0, pins: 0 };
  b.crashStates.set(i, { crashes: carried.crashes + receiveCountOf(r) - 1, pins: carried.pins });
  if (receiveCountOf(r) >= b.config.maxReceiveCount && b.crashStates.get(i)!.crashes < REQUEUE_CRASH_LIMIT) return 'requeue';
  b.outcomes[i] = { status: 'retry', reason: 'TIMEOUT', detail: 'crash marker not read: too little of the invocation left', deferred: true, unmarked: true };
  return 'deferred';
}

function quarantineCrashed(b: BatchState, indices: number[]): Promise<unknown> {
  const jobs: DropJob[] = indices.map((i) => {
    const s = b.crashStates.get(i)!;
    const r = b.records[i];
    logger.error('CRASHED_RUNTIME', { topic: b.topicOf[i], sqs_message_id: r.messageId, crash_count: s.pins, crashes_held: s.crashes });
    return {
      index: i,
      topic: b.topicOf[i],
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
    const url = b.config.topics.forQueueArn(String(b.records[i].eventSourceARN ?? ''))?.queueUrl;
    if (url) byQueue.set(url, [...(byQueue.get(url) ?? []), i]);
  }
  for (const [url, list] of byQueue) {
    const copies = await requeue(b.deps.sqs, url, list.map((i) => ({ record: b.records[i], state: b.crashStates.get(i) ?? { crashes: 0, pins: 0 } })));
    await mapLimit(list, LOOKUP_CONCURRENCY, async (i) => {
      const copy = copies.get(b.records[i].messageId);
      if (!copy) return; // not re-queued: it stays for the run below on its next receive, or its redrive policy
      b.outcomes[i] = { status: 'requeued' };
      logger.warn('REQUEUED', { topic: b.topicOf[i], sqs_message_id: b.records[i].messageId, copy_message_id: copy, crash_state: b.crashStates.get(i) });
      await markRequeued(store, b.topicOf[i], copy, b.records[i].messageId).catch(() => undefined);
    });
  }
}

/**
 * Each returned record is processed alone: its position goes to the run marker first, so if processing it kills
 * the environment, the next receive finds the run stopped at exactly this record (pinned). -1 once all are done.
 */
async function runOneByOne(b: BatchState, store: MarkerStore, indices: number[], prepare: (index: number) => void): Promise<void> {
  if (indices.length === 0) return;
  const topic = b.topicOf[indices[0]];
  const runId = randomUUID();
  const stopAt = b.budget.spendableMs() / 2;
  const planned = await mapLimit(indices, LOOKUP_CONCURRENCY, async (i, seq) => {
    if (b.budget.spendableMs() < stopAt) return false;
    try {
      await writeRecordMarker(store, topic, b.records[i].messageId, receiveCountOf(b.records[i]), b.crashStates.get(i)!, { run: { id: runId, seq } });
      return true;
    } catch {
      return false;
    }
  });
  for (let seq = 0; seq < indices.length; seq++) {
    const i = indices[seq];
    try {
      if (!planned[seq] || !b.budget.canStart(b.deliverables.length + 1)) throw new Error('not started');
      await setRunProgress(store, topic, runId, seq);
    } catch {
      // Unmarked: it stays a crash survivor (unanswered) and runs carefully on its next receive.
      b.outcomes[i] = { status: 'retry', reason: 'TIMEOUT', detail: 'careful run stopped: no time or no progress marker', deferred: true, unmarked: true };
      continue;
    }
    prepare(i);
  }
  await setRunProgress(store, topic, runId, -1).catch((err) => logger.warn('CRASH_MARKER_FAILED', { run_id: runId, error: errorMessage(err) }));
}
