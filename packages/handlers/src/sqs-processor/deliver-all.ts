import { errorMessage } from '../core/classify-error';
import { deliverRecords, type DeliveryOutcome } from '../core/deliver-records';
import { planFirehoseBatches } from '../core/plan-firehose-batches';
import { hasTimeFor } from '../core/retry-plan';
import { logger } from '../lib/logger';
import { mapLimit, sleep as realSleep } from '../lib/map-limit';
import type { BatchState, DropJob } from './batch-state';
import { putRecordBatch } from './firehose-put';
import { DEFERRED } from './prepare-records';

/** PutRecordBatch calls in flight per invocation (a batch of 1,000 records is two calls of 500). */
const FIREHOSE_CONCURRENCY = 4;
/** deliverRecords answers every record; a record left without an answer is retried, never taken as delivered. */
const NO_OUTCOME: DeliveryOutcome = { status: 'failed', disposition: 'RETRY', reason: 'UNKNOWN', detail: 'no delivery outcome' };

/** Firehose calls, each started only if the invocation has time for it; returns the records Firehose refused. */
export async function deliverAll(b: BatchState): Promise<DropJob[]> {
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
    batch.forEach((d, k) => {
      const o = results[k] ?? NO_OUTCOME;
      if (o.status === 'delivered') b.outcomes[d.index] = { status: 'delivered' };
      else if (o.disposition === 'DROP') rejected.push({ index: d.index, topic: d.row.topic_name, messageId: d.row.message_id, reason: o.reason, detail: o.detail });
      else b.outcomes[d.index] = { status: 'retry', reason: o.reason, detail: o.detail };
    });
  });
  return rejected;
}
