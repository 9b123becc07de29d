import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { receiveCountOf } from '../lib/partial-batch';
import { deleteNow } from '../lib/requeue';
import { carriedCrashState, newBatch, recordAt, type BatchState, type DropJob, type InvocationContext, type ProcessorDeps } from './batch-state';
import { runCareful } from './careful-path';
import { countReceived } from './count-received';
import { deliverAll } from './deliver-all';
import { finishBatch } from './finish-batch';
import { prepareIndices, prepareOne } from './prepare-records';
import { quarantineAll } from './quarantine-all';

export type { InvocationContext, ProcessorDeps } from './batch-state';
export { UnreportableFailureError } from './finish-batch';

/** The phases of one batch, each its own file; processBatch only orders them (unit-tested with stand-ins). */
export interface BatchPhases {
  countReceived(b: BatchState): Promise<void>;
  /** Crash isolation for batches holding records seen before; returns the indices left for the normal path. */
  runCareful(b: BatchState, prepare: (index: number) => void, settleEarly: (indices: readonly number[]) => Promise<void>): Promise<number[]>;
  prepare(b: BatchState, indices: readonly number[]): void;
  prepareOne(b: BatchState, index: number): void;
  quarantine(b: BatchState, jobs: DropJob[]): Promise<unknown>;
  /** Delivers b.deliverables; returns the records Firehose refused for good. */
  deliver(b: BatchState): Promise<DropJob[]>;
  deleteNow(b: BatchState, queueUrl: string, records: SQSRecord[]): Promise<void>;
  finish(b: BatchState): Promise<SQSBatchResponse>;
}

export const AWS_PHASES: BatchPhases = {
  countReceived,
  runCareful,
  prepare: prepareIndices,
  prepareOne,
  quarantine: quarantineAll,
  deliver: deliverAll,
  deleteNow: async (b, url, recs) => {
    await deleteNow(b.deps.sqs, url, recs);
  },
  finish: finishBatch,
};

/** A record seen before (later receive, or a re-queued copy) needs the careful path; a first receive never does. */
const needsCareful = (r: SQSRecord) => receiveCountOf(r) > 1 || carriedCrashState(r) !== undefined;

/**
 * One SQS event -> partial batch response. Every record ends as delivered (Firehose accepted it), dropped
 * (quarantined: reported as success so SQS deletes it), requeued (crash isolation sent it again as a new message)
 * or retry (reported in batchItemFailures, and made visible again after its backoff). The first receive of a batch
 * costs no call beyond delivery; batches holding records seen before take the careful path (careful-path.ts).
 */
export async function processBatch(event: SQSEvent, context: InvocationContext, deps: ProcessorDeps, phases: BatchPhases = AWS_PHASES): Promise<SQSBatchResponse> {
  const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
  const b = newBatch(records, context, deps);
  await phases.countReceived(b);
  const normal = records.some(needsCareful)
    ? await phases.runCareful(
        b,
        (i) => phases.prepareOne(b, i),
        (idx) => settleEarly(b, idx, phases),
      )
    : records.map((_, i) => i);
  phases.prepare(b, normal);
  await deliverAndQuarantine(b, phases);
  return phases.finish(b);
}

/** Drops are quarantined while the deliverables go to Firehose; what Firehose refuses for good is quarantined too. */
async function deliverAndQuarantine(b: BatchState, phases: BatchPhases): Promise<void> {
  const dropsDone = phases.quarantine(b, b.drops);
  const rejected = await phases.deliver(b);
  await Promise.all([dropsDone, phases.quarantine(b, rejected)]);
}

/**
 * Processes `indices` completely now (deliver, quarantine) and deletes what is done, so that a crash later in the
 * invocation cannot cost these records their last receive.
 */
async function settleEarly(b: BatchState, indices: readonly number[], phases: BatchPhases): Promise<void> {
  const saved = { deliverables: b.deliverables, drops: b.drops };
  b.deliverables = [];
  b.drops = [];
  phases.prepare(b, indices);
  await deliverAndQuarantine(b, phases);
  b.deliverables = saved.deliverables;
  b.drops = saved.drops;
  const done = indices.filter((i) => b.outcomes[i]?.status === 'delivered' || b.outcomes[i]?.status === 'dropped');
  const byQueue = new Map<string, SQSRecord[]>();
  for (const i of done) {
    const url = b.config.topics.forQueueArn(String(recordAt(b, i).eventSourceARN ?? ''))?.queueUrl;
    if (url) byQueue.set(url, [...(byQueue.get(url) ?? []), recordAt(b, i)]);
  }
  await Promise.all([...byQueue].map(([url, recs]) => phases.deleteNow(b, url, recs)));
}
