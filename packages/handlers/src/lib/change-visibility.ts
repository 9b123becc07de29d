import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage } from '../core/classify-error';
import type { VisibilityBatch } from '../core/retry-visibility';
import { logger } from './logger';

/** At most this long for all pacing calls of one invocation: they are an optimisation, never worth a timeout. */
export const PACING_TIMEOUT_MS = 5000;
/** Kept back after the pacing calls so the handler still returns its partial batch response in time. */
export const RESPONSE_RESERVE_MS = 500;

/** Time the pacing calls may take, given what is left of the invocation (0: skip them). */
export function pacingBudgetMs(remainingMs: number | undefined): number {
  if (remainingMs === undefined) return PACING_TIMEOUT_MS;
  return Math.max(0, Math.min(PACING_TIMEOUT_MS, remainingMs - RESPONSE_RESERVE_MS));
}

export interface VisibilityResult {
  changed: number;
  failed: number;
}

/**
 * Sends the planned ChangeMessageVisibilityBatch calls. Never throws: a record whose visibility could not be
 * changed simply waits its queue's normal visibility timeout. `timeoutMs` bounds all calls together, so a slow
 * SQS endpoint cannot push the invocation past its deadline (and fail the whole batch).
 */
export async function changeVisibility(sqs: SQSClient, batches: readonly VisibilityBatch[], timeoutMs: number): Promise<VisibilityResult> {
  const result: VisibilityResult = { changed: 0, failed: 0 };
  if (batches.length === 0) return result;
  if (timeoutMs <= 0) {
    result.failed = batches.reduce((n, b) => n + b.entries.length, 0);
    logger.warn('VISIBILITY_CHANGE_SKIPPED', { records: result.failed, reason: 'no time left in the invocation' });
    return result;
  }
  const abortSignal = AbortSignal.timeout(timeoutMs);
  await Promise.all(
    batches.map(async (b) => {
      const byId = new Map(b.entries.map((e) => [e.Id, e]));
      try {
        const resp = await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: b.queueUrl,
            Entries: b.entries.map(({ Id, ReceiptHandle, VisibilityTimeout }) => ({ Id, ReceiptHandle, VisibilityTimeout })),
          }),
          { abortSignal },
        );
        const failed = resp.Failed ?? [];
        result.changed += b.entries.length - failed.length;
        result.failed += failed.length;
        for (const f of failed) {
          logger.warn('VISIBILITY_CHANGE_FAILED', { queue_url: b.queueUrl, sqs_message_id: byId.get(f.Id ?? '')?.messageId, code: f.Code, error: f.Message });
        }
      } catch (err) {
        result.failed += b.entries.length;
        logger.warn('VISIBILITY_CHANGE_FAILED', { queue_url: b.queueUrl, records: b.entries.length, error: errorMessage(err) });
      }
    }),
  );
  return result;
}
