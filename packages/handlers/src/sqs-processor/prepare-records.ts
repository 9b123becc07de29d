import { queueNameFromArn } from '@lean-ops/contracts';
import { classifyError, errorMessage } from '../core/classify-error';
import { prepareRecord } from '../core/prepare-record';
import { logger } from '../lib/logger';
import { receiveCountOf } from '../lib/partial-batch';
import { recordAt, type BatchState, type Outcome } from './batch-state';

/** The prepare loop checks the clock this often (records). */
const PREPARE_CHECK_EVERY = 100;

/** Parse, validate and normalize one record into a deliverable or a drop. */
export function prepareOne(b: BatchState, i: number): void {
  const r = recordAt(b, i);
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

export const DEFERRED: Outcome = { status: 'retry', reason: 'TIMEOUT', detail: 'not started: too little of the invocation left', deferred: true };

export function prepareIndices(b: BatchState, indices: readonly number[]): void {
  for (const [k, i] of indices.entries()) {
    if (k % PREPARE_CHECK_EVERY === 0 && !b.budget.canStart(b.deliverables.length + PREPARE_CHECK_EVERY)) {
      for (const i of indices.slice(k)) b.outcomes[i] ??= DEFERRED;
      logger.warn('DEFERRED', { records: indices.length - k, phase: 'prepare', remaining_ms: b.budget.spendableMs() });
      return;
    }
    if (b.outcomes[i] === undefined) prepareOne(b, i);
  }
}
