import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { minuteWindow, queueNameFromArn } from '@lean-ops/contracts';
import { classifyError, errorMessage } from '../core/classify-error';
import { deliverRecords } from '../core/deliver-records';
import { planFirehoseBatches } from '../core/plan-firehose-batches';
import { prepareRecord } from '../core/prepare-record';
import { hasTimeFor } from '../core/retry-plan';
import { addCheckpointCounts } from '../lib/checkpoints';
import { logger } from '../lib/logger';
import { deleteNow } from '../lib/requeue';
import { mapLimit, sleep as realSleep } from '../lib/map-limit';
import { bodyOf, receiveCountOf, sentAtOf } from '../lib/partial-batch';
import { carriedCrashState, newBatch, type BatchState, type DropJob, type InvocationContext, type ProcessorDeps } from './batch-state';
import { runCareful } from './careful-path';
import { finishBatch } from './finish-batch';
import { putRecordBatch } from './firehose-put';
import { quarantine } from './quarantine';

export type { InvocationContext, ProcessorDeps } from './batch-state';
export { UnreportableFailureError } from './finish-batch';

/** Quarantine writes per batch in flight at once: enough to hide S3 latency, few enough not to throttle. */
const QUARANTINE_CONCURRENCY = 16;
/** PutRecordBatch calls in flight per invocation (a batch of 1,000 records is two calls of 500). */
const FIREHOSE_CONCURRENCY = 4;
/** The prepare loop checks the clock this often (records). */
const PREPARE_CHECK_EVERY = 100;

/** A record seen before (later receive, or a re-queued copy) needs the careful path; a first receive never does. */
const needsCareful = (r: SQSRecord) => receiveCountOf(r) > 1 || carriedCrashState(r) !== undefined;

/**
 * One SQS event -> partial batch response. Every record ends as delivered (Firehose accepted it), dropped
 * (quarantined: reported as success so SQS deletes it), requeued (crash isolation sent it again as a new message)
 * or retry (reported in batchItemFailures, and made visible again after its backoff). The first receive of a batch
 * costs no call beyond delivery; batches holding records seen before take the careful path (careful-path.ts).
 */
export async function processBatch(event: SQSEvent, context: InvocationContext, deps: ProcessorDeps): Promise<SQSBatchResponse> {
  const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
  const b = newBatch(records, context, deps);
  await countReceived(b);
  const normal = records.some(needsCareful) ? await runCareful(b, (i) => prepareOne(b, i), (idx) => settleEarly(b, idx)) : records.map((_, i) => i);
  prepareIndices(b, normal);
  const dropsDone = quarantineAll(b, b.drops);
  const rejected = await deliverAll(b);
  await Promise.all([dropsDone, quarantineAll(b, rejected)]);
  return finishBatch(b);
}

/**
 * Processes `indices` completely now (deliver, quarantine) and deletes what is done, so that a crash later in the
 * invocation cannot cost these records their last receive.
 */
async function settleEarly(b: BatchState, indices: readonly number[]): Promise<void> {
  const saved = { deliverables: b.deliverables, drops: b.drops };
  b.deliverables = [];
  b.drops = [];
  prepareIndices(b, indices);
  const dropsDone = quarantineAll(b, b.drops);
  const rejected = await deliverAll(b);
  await Promise.all([dropsDone, quarantineAll(b, rejected)]);
  b.deliverables = saved.deliverables;
  b.drops = saved.drops;
  const done = indices.filter((i) => b.outcomes[i]?.status === 'delivered' || b.outcomes[i]?.status === 'dropped');
  const byQueue = new Map<string, SQSRecord[]>();
  for (const i of done) {
    const url = b.config.topics.forQueueArn(String(b.records[i].eventSourceARN ?? ''))?.queueUrl;
    if (url) byQueue.set(url, [...(byQueue.get(url) ?? []), b.records[i]]);
  }
  await Promise.all([...byQueue].map(([url, recs]) => deleteNow(b.deps.sqs, url, recs)));
}

/**
 * `received` goes to the checkpoint before any outcome: an invocation that crashes or times out after this leaves
 * received > delivered + dropped + retried, the gap the water-balance monitor alarms on.
 */
async function countReceived(b: BatchState): Promise<void> {
  const perTopic = new Map<string, number>();
  for (const t of b.topicOf) perTopic.set(t, (perTopic.get(t) ?? 0) + 1);
  const window = minuteWindow(b.now);
  await Promise.all(
    [...perTopic].map(async ([topic, received]) => {
      try {
        await addCheckpointCounts(b.deps.dynamodb, b.config.checkpointsTable, topic, window, { received }, b.now, b.config.checkpointTtlDays);
      } catch (err) {
        logger.error('CHECKPOINT_FAILED', { topic, window, counts: { received }, error: errorMessage(err) });
      }
    }),
  );
}

/** Parse, validate and normalize one record into a deliverable or a drop. */
export function prepareOne(b: BatchState, i: number): void {
  const r = b.records[i];
  try {
    const queueName = queueNameFromArn(String(r.eventSourceARN ?? ''));
    const topic = b.config.topics.forQueueArn(String(r.eventSourceARN ?? ''));
    if (!topic) {
      logger.error('UNKNOWN_QUEUE', { source_queue: queueName, sqs_message_id: r.messageId });
      b.outcomes[i] = { status: 'retry', reason: 'UNKNOWN', detail: `no topic configured for queue ${queueName}` };
      return;
    }
    const prepared = prepareRecord(r.body, {
      topic: topic.topic,
      sqsMessageId: String(r.messageId ?? ''),
      receiveCount: receiveCountOf(r),
      sourceQueue: queueName,
      expectedFields: topic.expectedFields,
      ingestedAtMicros: b.ingestedAtMicros,
    });
    if (prepared.kind === 'drop') {
      b.drops.push({ index: i, topic: topic.topic, messageId: prepared.messageId, reason: prepared.reason, detail: prepared.detail });
      return;
    }
    b.deliverables.push({ ...prepared, index: i });
    if (prepared.extraAttributes.length > 0) {
      const seen = b.extraAttributes.get(topic.topic) ?? new Set<string>();
      prepared.extraAttributes.forEach((a) => seen.add(a.slice(0, 100)));
      b.extraAttributes.set(topic.topic, seen);
    }
  } catch (err) {
    const c = classifyError(err);
    b.outcomes[i] = { status: 'retry', reason: c.disposition === 'RETRY' ? c.reason : 'UNKNOWN', detail: errorMessage(err) };
  }
}

const DEFERRED = { status: 'retry', reason: 'TIMEOUT', detail: 'not started: too little of the invocation left', deferred: true } as const;

function prepareIndices(b: BatchState, indices: readonly number[]): void {
  for (let k = 0; k < indices.length; k++) {
    if (k % PREPARE_CHECK_EVERY === 0 && !b.budget.canStart(b.deliverables.length + PREPARE_CHECK_EVERY)) {
      for (const i of indices.slice(k)) b.outcomes[i] ??= DEFERRED;
      logger.warn('DEFERRED', { records: indices.length - k, phase: 'prepare', remaining_ms: b.budget.spendableMs() });
      return;
    }
    if (b.outcomes[indices[k]] === undefined) prepareOne(b, indices[k]);
  }
}

export function quarantineAll(b: BatchState, jobs: DropJob[]): Promise<unknown> {
  return mapLimit(jobs, QUARANTINE_CONCURRENCY, async (job) => {
    const r = b.records[job.index];
    if (b.budget.spendableMs() <= 0) {
      b.outcomes[job.index] = DEFERRED;
      return;
    }
    logger.warn('DROPPING', { topic: job.topic, message_id: job.messageId, sqs_message_id: r.messageId, reason: job.reason, detail: job.detail });
    try {
      const key = await quarantine(
        { s3: b.deps.s3, dynamodb: b.deps.dynamodb, bucket: b.config.archiveBucket, errorsTable: b.config.errorsTable, errorTtlDays: b.config.errorTtlDays },
        {
          topic: job.topic,
          messageId: job.messageId,
          sqsMessageId: String(r.messageId ?? ''),
          reason: job.reason,
          detail: job.detail,
          receiveCount: receiveCountOf(r),
          sourceQueue: queueNameFromArn(String(r.eventSourceARN ?? '')),
          body: bodyOf(r),
          sentAt: sentAtOf(r, b.now),
          ...(job.crashCount !== undefined ? { crashCount: job.crashCount } : {}),
        },
        b.now,
      );
      b.outcomes[job.index] = { status: 'dropped', reason: job.reason };
      logger.debug('QUARANTINED', { topic: job.topic, message_id: job.messageId, key });
    } catch (err) {
      // Not written means not safe to delete: the record comes back and is quarantined on a later receive.
      const c = classifyError(err);
      logger.error('QUARANTINE_FAILED', { topic: job.topic, message_id: job.messageId, reason: job.reason, error: errorMessage(err) });
      b.outcomes[job.index] = { status: 'retry', reason: c.disposition === 'RETRY' ? c.reason : 'UNKNOWN', detail: errorMessage(err) };
    }
  });
}

/** Firehose calls, each started only if the invocation has time for it; returns the records Firehose refused. */
async function deliverAll(b: BatchState): Promise<DropJob[]> {
  const rejected: DropJob[] = [];
  const { deps, config } = b;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  await mapLimit(planFirehoseBatches(b.deliverables), FIREHOSE_CONCURRENCY, async (batch) => {
    // deliverRecords keeps its own margin for re-sends: a call it would refuse to start is not started here either.
    if (!b.budget.canStart(batch.length) || !hasTimeFor(b.budget.remaining())) {
      for (const d of batch) b.outcomes[d.index] = DEFERRED;
      logger.warn('DEFERRED', { records: batch.length, phase: 'deliver', remaining_ms: b.budget.spendableMs(), per_record_ms: b.budget.estimatePerRecordMs });
      return;
    }
    const started = Date.now();
    let results;
    try {
      results = await deliverRecords(batch, {
        put: (recs) => {
          for (const t of new Set(recs.map((d) => d.row.topic_name))) b.firehoseCalls.set(t, (b.firehoseCalls.get(t) ?? 0) + 1);
          return putRecordBatch(deps.firehose, config.deliveryStream, recs, AbortSignal.timeout(Math.max(1, b.budget.hardStopInMs())));
        },
        remainingMs: () => b.budget.remaining(),
        sleep,
        random,
      });
    } catch (err) {
      results = batch.map(() => ({ status: 'failed' as const, disposition: 'RETRY' as const, reason: 'UNKNOWN' as const, detail: errorMessage(err) }));
    }
    b.budget.observe(batch.length, Date.now() - started);
    results.forEach((o, k) => {
      const d = batch[k];
      if (o.status === 'delivered') b.outcomes[d.index] = { status: 'delivered' };
      else if (o.disposition === 'DROP') rejected.push({ index: d.index, topic: d.row.topic_name, messageId: d.row.message_id, reason: o.reason, detail: o.detail });
      else b.outcomes[d.index] = { status: 'retry', reason: o.reason, detail: o.detail };
    });
  });
  return rejected;
}
