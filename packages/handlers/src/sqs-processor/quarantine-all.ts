import { queueNameFromArn } from '@lean-ops/contracts';
import { classifyError, errorMessage } from '../core/classify-error';
import { logger } from '../lib/logger';
import { mapLimit } from '../lib/map-limit';
import { bodyOf, receiveCountOf, sentAtOf } from '../lib/partial-batch';
import { recordAt, type BatchState, type DropJob } from './batch-state';
import { DEFERRED } from './prepare-records';
import { quarantine } from './quarantine';

/** Quarantine writes per batch in flight at once: enough to hide S3 latency, few enough not to throttle. */
const QUARANTINE_CONCURRENCY = 16;

export function quarantineAll(b: BatchState, jobs: DropJob[]): Promise<unknown> {
  return mapLimit(jobs, QUARANTINE_CONCURRENCY, async (job) => {
    const r = recordAt(b, job.index);
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
