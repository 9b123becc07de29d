import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS, epochMicrosOf, minuteWindow, queueNameFromArn, topicFromQueueName, type Reason } from '@lean-ops/contracts';
import { countRecord, type BatchCounts } from '../core/batch-counts';
import { classifyError, errorMessage } from '../core/classify-error';
import { deliverRecords } from '../core/deliver-records';
import { planFirehoseBatches } from '../core/plan-firehose-batches';
import { prepareRecord, type Deliverable } from '../core/prepare-record';
import { planVisibilityChanges, type RetryRecord } from '../core/retry-visibility';
import { changeVisibility, pacingBudgetMs } from '../lib/change-visibility';
import { addCheckpointCounts } from '../lib/checkpoints';
import { emitMetrics } from '../lib/emf';
import { logger } from '../lib/logger';
import { mapLimit, sleep as realSleep } from '../lib/map-limit';
import type { ProcessorConfig } from './config';
import { putRecordBatch } from './firehose-put';
import { quarantine } from './quarantine';

export interface ProcessorDeps {
  config: ProcessorConfig;
  firehose: FirehoseClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /** Sets each RETRY record's backoff on its topic queue (ChangeMessageVisibilityBatch). */
  sqs: SQSClient;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

type Outcome = { status: 'delivered' } | { status: 'dropped'; reason: Reason } | { status: 'retry'; reason: Reason; detail: string };

interface DropJob {
  index: number;
  topic: string;
  messageId: string;
  reason: Reason;
  detail: string;
}

/** Quarantine writes per batch in flight at once: enough to hide S3 latency, few enough not to throttle. */
const QUARANTINE_CONCURRENCY = 16;
/** PutRecordBatch calls in flight per invocation (a batch of 1,000 records is two calls of 500). */
const FIREHOSE_CONCURRENCY = 4;

/** SQS ItemFailure ids: an empty or missing one fails the whole batch, so only real ids can be built. */
function itemFailure(messageId: unknown): SQSBatchItemFailure | undefined {
  return typeof messageId === 'string' && messageId.length > 0 ? { itemIdentifier: messageId } : undefined;
}

export class UnreportableFailureError extends Error {
  override readonly name = 'UnreportableFailureError';
}

const receiveCountOf = (r: SQSRecord) => {
  const n = Number(r.attributes?.ApproximateReceiveCount);
  return Number.isInteger(n) && n > 0 ? n : 1;
};

const sentAtOf = (r: SQSRecord, fallback: Date) => {
  const ms = Number(r.attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : fallback;
};

/**
 * One SQS event -> partial batch response. Every record ends as delivered (Firehose accepted it), dropped
 * (quarantined: reported as success so SQS deletes it) or retry (reported in batchItemFailures, and made visible
 * again after its backoff rather than the whole visibility timeout).
 */
export async function processBatch(event: SQSEvent, context: InvocationContext, deps: ProcessorDeps): Promise<SQSBatchResponse> {
  const now = deps.now?.() ?? new Date();
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const { config } = deps;
  const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
  const outcomes: Array<Outcome | undefined> = new Array(records.length);
  const topicOf: string[] = new Array(records.length);
  const ingestedAtMicros = epochMicrosOf(now);
  const deliverables: Array<Deliverable & { index: number }> = [];
  const drops: DropJob[] = [];
  const extraAttributes = new Map<string, Set<string>>();

  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    try {
      const queueName = queueNameFromArn(String(r.eventSourceARN ?? ''));
      const topic = config.topics.forQueueArn(String(r.eventSourceARN ?? ''));
      topicOf[i] = topic?.topic ?? topicFromQueueName(config.namePrefix, queueName) ?? 'unknown';
      if (!topic) {
        logger.error('UNKNOWN_QUEUE', { source_queue: queueName, sqs_message_id: r.messageId });
        outcomes[i] = { status: 'retry', reason: 'UNKNOWN', detail: `no topic configured for queue ${queueName}` };
        continue;
      }
      const prepared = prepareRecord(r.body, {
        topic: topic.topic,
        sqsMessageId: String(r.messageId ?? ''),
        receiveCount: receiveCountOf(r),
        sourceQueue: queueName,
        expectedFields: topic.expectedFields,
        ingestedAtMicros,
      });
      if (prepared.kind === 'deliver') {
        deliverables.push({ ...prepared, index: i });
        if (prepared.extraAttributes.length > 0) {
          const seen = extraAttributes.get(topic.topic) ?? new Set<string>();
          prepared.extraAttributes.forEach((a) => seen.add(a.slice(0, 100)));
          extraAttributes.set(topic.topic, seen);
        }
      }
      else drops.push({ index: i, topic: topic.topic, messageId: prepared.messageId, reason: prepared.reason, detail: prepared.detail });
    } catch (err) {
      const c = classifyError(err);
      outcomes[i] = { status: 'retry', reason: c.disposition === 'RETRY' ? c.reason : 'UNKNOWN', detail: errorMessage(err) };
    }
  }

  const quarantineAll = async (jobs: DropJob[]) =>
    mapLimit(jobs, QUARANTINE_CONCURRENCY, async (job) => {
      const r = records[job.index];
      logger.warn('DROPPING', { topic: job.topic, message_id: job.messageId, sqs_message_id: r.messageId, reason: job.reason, detail: job.detail });
      try {
        const key = await quarantine(
          { s3: deps.s3, dynamodb: deps.dynamodb, bucket: config.archiveBucket, errorsTable: config.errorsTable, errorTtlDays: config.errorTtlDays },
          {
            topic: job.topic,
            messageId: job.messageId,
            sqsMessageId: String(r.messageId ?? ''),
            reason: job.reason,
            detail: job.detail,
            receiveCount: receiveCountOf(r),
            sourceQueue: queueNameFromArn(String(r.eventSourceARN ?? '')),
            body: typeof r.body === 'string' ? r.body : String(r.body ?? ''),
            sentAt: sentAtOf(r, now),
          },
          now,
        );
        outcomes[job.index] = { status: 'dropped', reason: job.reason };
        logger.debug('QUARANTINED', { topic: job.topic, message_id: job.messageId, key });
      } catch (err) {
        // Not written means not safe to delete: the record comes back and is quarantined on a later receive.
        const c = classifyError(err);
        logger.error('QUARANTINE_FAILED', { topic: job.topic, message_id: job.messageId, reason: job.reason, error: errorMessage(err) });
        outcomes[job.index] = { status: 'retry', reason: c.disposition === 'RETRY' ? c.reason : 'UNKNOWN', detail: errorMessage(err) };
      }
    });

  // Quarantine writes and Firehose calls are independent: rows reach the table without waiting for the archive.
  const dropsDone = quarantineAll(drops);

  const firehoseCalls = new Map<string, number>();
  const rejected: DropJob[] = [];
  await mapLimit(planFirehoseBatches(deliverables), FIREHOSE_CONCURRENCY, async (batch) => {
    let results;
    try {
      results = await deliverRecords(batch, {
        put: (recs) => {
          for (const t of new Set(recs.map((d) => d.row.topic_name))) firehoseCalls.set(t, (firehoseCalls.get(t) ?? 0) + 1);
          return putRecordBatch(deps.firehose, config.deliveryStream, recs);
        },
        remainingMs: () => context.getRemainingTimeInMillis(),
        sleep,
        random,
      });
    } catch (err) {
      results = batch.map(() => ({ status: 'failed' as const, disposition: 'RETRY' as const, reason: 'UNKNOWN' as const, detail: errorMessage(err) }));
    }
    results.forEach((o, k) => {
      const d = batch[k];
      if (o.status === 'delivered') outcomes[d.index] = { status: 'delivered' };
      else if (o.disposition === 'DROP') rejected.push({ index: d.index, topic: d.row.topic_name, messageId: d.row.message_id, reason: o.reason, detail: o.detail });
      else outcomes[d.index] = { status: 'retry', reason: o.reason, detail: o.detail };
    });
  });
  await Promise.all([dropsDone, quarantineAll(rejected)]);

  // Counts, checkpoints and metrics per topic.
  const counts = new Map<string, BatchCounts>();
  const failures: SQSBatchItemFailure[] = [];
  const toPace: RetryRecord[] = [];
  const unreportable: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const o: Outcome = outcomes[i] ?? { status: 'retry', reason: 'UNKNOWN', detail: 'record left without an outcome' };
    const topic = topicOf[i] ?? 'unknown';
    const r = records[i];
    countRecord(counts, topic, o.status, r ? receiveCountOf(r) : 1);
    if (o.status === 'retry') {
      const failure = itemFailure(r?.messageId);
      if (failure) failures.push(failure);
      else unreportable.push(i);
      // A record from a queue with no topic config has no known URL: it waits its normal visibility timeout.
      const queueUrl = config.topics.forQueueArn(String(r?.eventSourceARN ?? ''))?.queueUrl;
      if (failure && queueUrl && typeof r.receiptHandle === 'string' && r.receiptHandle.length > 0) {
        toPace.push({ queueUrl, messageId: failure.itemIdentifier, receiptHandle: r.receiptHandle, receiveCount: receiveCountOf(r) });
      }
      logger.warn('RETRYING', { topic, sqs_message_id: records[i]?.messageId, reason: o.reason, detail: o.detail });
    }
  }

  const window = minuteWindow(now);
  const pacing = changeVisibility(
    deps.sqs,
    planVisibilityChanges(toPace, config.retryBaseDelaySeconds, config.retryMaxDelaySeconds),
    pacingBudgetMs(context.getRemainingTimeInMillis()),
  );
  await Promise.all([
    pacing,
    ...[...counts].map(async ([topic, c]) => {
      try {
        await addCheckpointCounts(deps.dynamodb, config.checkpointsTable, topic, window, c, now, config.checkpointTtlDays);
      } catch (err) {
        // Records are already delivered or quarantined; a missing checkpoint shows up as a water-balance gap.
        logger.error('CHECKPOINT_FAILED', { topic, window, counts: c, error: errorMessage(err) });
      }
    }),
  ]);
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
        [METRICS.firehoseCalls]: firehoseCalls.get(topic) ?? 0,
      },
      now.getTime(),
    );
  }
  for (const [topic, attrs] of extraAttributes) logger.info('EXTRA_ATTRIBUTES', { topic, attributes: [...attrs].sort() });

  if (unreportable.length > 0) {
    // Without a messageId a failed record cannot be named; deleting it would lose it, so the whole batch comes back.
    logger.error('UNREPORTABLE_FAILURE', { records: unreportable, count: unreportable.length });
    throw new UnreportableFailureError(`${unreportable.length} failed record(s) have no messageId; returning the whole batch`);
  }
  logger.info('BATCH_DONE', { records: records.length, failed: failures.length, topics: Object.fromEntries(counts) });
  return { batchItemFailures: failures };
}
