import type { SQSBatchResponse } from 'aws-lambda';
import { METRICS, minuteWindow } from '@lean-ops/contracts';
import { countRecord, type BatchCounts } from '../core/batch-counts';
import { errorMessage } from '../core/classify-error';
import { pacingBudgetMs } from '../lib/change-visibility';
import { addCheckpointCounts } from '../lib/checkpoints';
import { writeRecordMarkers } from '../lib/crash-markers';
import { emitMetrics } from '../lib/emf';
import { logger } from '../lib/logger';
import { collectFailures, paceRetries, receiveCountOf, UnreportableFailureError } from '../lib/partial-batch';
import { markerStore, recordAt, type BatchState, type Outcome } from './batch-state';
import { markerWrite, requeueRecords } from './careful-path';

export { UnreportableFailureError } from '../lib/partial-batch';

/**
 * Outcomes -> partial batch response: retry records named in batchItemFailures, paced (work never started comes
 * back at once), each marked as answered so that its next receive is not taken for a crash; counts, metrics.
 */
export async function finishBatch(b: BatchState): Promise<SQSBatchResponse> {
  await requeueUnstartedOnLastReceive(b);
  const counts = new Map<string, BatchCounts>();
  const retried: number[] = [];
  for (let i = 0; i < b.records.length; i++) {
    const o: Outcome = b.outcomes[i] ?? { status: 'retry', reason: 'UNKNOWN', detail: 'record left without an outcome' };
    const r = b.records[i];
    // A re-queued record went back to its queue: retried, for the water balance.
    countRecord(counts, b.topicOf[i] ?? 'unknown', o.status === 'requeued' ? 'retry' : o.status, receiveCountOf(r));
    if (o.status !== 'retry') continue;
    retried.push(i);
    logger.warn('RETRYING', { topic: b.topicOf[i], sqs_message_id: r?.messageId, reason: o.reason, detail: o.detail });
  }
  const retryOf = (i: number) => {
    const o = b.outcomes[i];
    return o?.status === 'retry' ? o : undefined;
  };
  const { failures, toPace, unreportable } = collectFailures(
    retried.map((i) => ({
      record: recordAt(b, i),
      // A record from a queue with no topic config has no known URL: it waits its normal visibility timeout.
      queueUrl: b.config.topics.forQueueArn(String(b.records[i]?.eventSourceARN ?? ''))?.queueUrl,
      ...(retryOf(i)?.deferred ? { visibilitySeconds: 0 } : {}),
    })),
  );
  const unnamed = new Set(unreportable.map((k) => retried[k]));
  // A record whose crash marker was never read keeps its history: its next receive reads it.
  const answered = retried.filter((i) => !unnamed.has(i) && !retryOf(i)?.unmarked);

  const remaining = b.budget.hardStopInMs();
  await Promise.all([
    paceRetries(b.deps.sqs, toPace, { baseSeconds: b.config.retryBaseDelaySeconds, maxSeconds: b.config.retryMaxDelaySeconds }, remaining),
    markAnswered(b, answered, pacingBudgetMs(remaining)),
    writeOutcomeCounts(b, counts),
  ]);
  emitBatchMetrics(b, counts);

  if (unnamed.size > 0) {
    // Without a messageId a failed record cannot be named; deleting it would lose it, so the whole batch comes back.
    logger.error('UNREPORTABLE_FAILURE', { records: [...unnamed], count: unnamed.size });
    throw new UnreportableFailureError(`${unnamed.size} failed record(s) have no messageId; returning the whole batch`);
  }
  logger.info('BATCH_DONE', { records: b.records.length, failed: failures.length, topics: Object.fromEntries(counts) });
  return { batchItemFailures: failures };
}

/** Time a re-queue needs at least (a SendMessageBatch and a DeleteMessageBatch per 10 records). */
const REQUEUE_MIN_MS = 300;

/**
 * Work never started is no fault of the record: on its last receive, returning it would send it to the DLQ, so it
 * is re-queued (its receive count starts again) while there is time; otherwise it comes back at once (visibility 0).
 */
async function requeueUnstartedOnLastReceive(b: BatchState): Promise<void> {
  const due = b.records
    .map((_, i) => i)
    .filter((i) => {
      const o = b.outcomes[i];
      return o?.status === 'retry' && o.deferred === true && receiveCountOf(b.records[i]) >= b.config.maxReceiveCount;
    });
  if (due.length === 0 || b.budget.hardStopInMs() < REQUEUE_MIN_MS) return;
  await requeueRecords(b, due);
}

/**
 * Records returned for retry are marked answered (failure path only; a first receive that succeeds writes nothing).
 * Without the mark, the next receive would take them for crash survivors: slower, never wrong.
 */
async function markAnswered(b: BatchState, indices: number[], budgetMs: number): Promise<void> {
  if (indices.length === 0 || budgetMs <= 0) return;
  const writes = indices.map((i) => markerWrite(b, i, { answered: true }));
  const unwritten = await writeRecordMarkers(markerStore(b), writes, Date.now() + budgetMs);
  if (unwritten.size > 0) logger.warn('CRASH_MARKER_FAILED', { records: unwritten.size, sqs_message_ids: [...unwritten].slice(0, 10).map((w) => w.sqsMessageId) });
}

/** Outcomes only: `received` was added before processing started. */
async function writeOutcomeCounts(b: BatchState, counts: Map<string, BatchCounts>): Promise<void> {
  const window = minuteWindow(b.now);
  await Promise.all(
    [...counts].map(async ([topic, c]) => {
      const { received: _received, ...outcomes } = c;
      try {
        await addCheckpointCounts(b.deps.dynamodb, b.config.checkpointsTable, topic, window, outcomes, b.now, b.config.checkpointTtlDays);
      } catch (err) {
        // Records are already delivered or quarantined; a missing checkpoint shows up as a water-balance gap.
        logger.error('CHECKPOINT_FAILED', { topic, window, counts: c, error: errorMessage(err) });
      }
    }),
  );
}

function emitBatchMetrics(b: BatchState, counts: Map<string, BatchCounts>): void {
  for (const [topic, c] of counts) {
    emitMetrics(
      topic,
      {
        [METRICS.received]: c.received,
        [METRICS.delivered]: c.delivered,
        [METRICS.dropped]: c.dropped,
        [METRICS.failed]: c.retried,
        [METRICS.firstAttemptReceived]: c.firstReceived,
        [METRICS.firstAttemptFailed]: c.firstFailed,
        [METRICS.firehoseCalls]: b.firehoseCalls.get(topic) ?? 0,
      },
      b.now.getTime(),
    );
  }
  for (const [topic, attrs] of b.extraAttributes) logger.info('EXTRA_ATTRIBUTES', { topic, attributes: [...attrs].sort() });
}
