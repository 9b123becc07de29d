import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchItemFailure, SQSRecord } from 'aws-lambda';
import { planVisibilityChanges, type RetryRecord } from '../core/retry-visibility';
import { changeVisibility, pacingBudgetMs } from './change-visibility';

/**
 * What both processors share about an SQS event with partial batch responses ("Implementing partial batch
 * responses", Lambda developer guide, services-sqs-errorhandling): record accessors, the failure list, the pacing of
 * retries, and the rule for a failed record that cannot be named.
 */

/** A failed record without a usable messageId: the whole batch must come back, so the handler throws this. */
export class UnreportableFailureError extends Error {
  override readonly name = 'UnreportableFailureError';
}

/** ApproximateReceiveCount; a record in an event has been received at least once, so 1 when absent or invalid. */
export const receiveCountOf = (r: SQSRecord | undefined): number => {
  const n = Number(r?.attributes?.ApproximateReceiveCount);
  return Number.isInteger(n) && n > 0 ? n : 1;
};

export const sentAtOf = (r: SQSRecord, fallback: Date): Date => {
  const ms = Number(r.attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : fallback;
};

export const bodyOf = (r: SQSRecord): string => (typeof r.body === 'string' ? r.body : String(r.body ?? ''));

/** SQS ItemFailure ids: an empty or missing one fails the whole batch, so only real ids can be built. */
export function itemFailure(messageId: unknown): SQSBatchItemFailure | undefined {
  return typeof messageId === 'string' && messageId.length > 0 ? { itemIdentifier: messageId } : undefined;
}

export interface FailedRecord {
  record: SQSRecord;
  /** The queue the record came from, when known (a record from an unknown queue waits its visibility timeout). */
  queueUrl: string | undefined;
  /** Fixed visibility instead of the backoff (0: back at once). */
  visibilitySeconds?: number;
}

export interface CollectedFailures {
  failures: SQSBatchItemFailure[];
  /** Records to make visible again after their backoff (receipt handle known). */
  toPace: RetryRecord[];
  /** Indices (into the input) of failed records that cannot be named. */
  unreportable: number[];
}

/** The batchItemFailures of `failed`, the retries to pace, and the ones no response can name. */
export function collectFailures(failed: readonly FailedRecord[]): CollectedFailures {
  const out: CollectedFailures = { failures: [], toPace: [], unreportable: [] };
  failed.forEach((f, k) => {
    const failure = itemFailure(f.record?.messageId);
    if (!failure) {
      out.unreportable.push(k);
      return;
    }
    out.failures.push(failure);
    const { receiptHandle } = f.record;
    if (f.queueUrl && typeof receiptHandle === 'string' && receiptHandle.length > 0) {
      out.toPace.push({
        queueUrl: f.queueUrl,
        messageId: failure.itemIdentifier,
        receiptHandle,
        receiveCount: receiveCountOf(f.record),
        ...(f.visibilitySeconds !== undefined ? { visibilitySeconds: f.visibilitySeconds } : {}),
      });
    }
  });
  return out;
}

/**
 * Retries come back after their backoff instead of the queue's whole visibility timeout (>= 6 x the function
 * timeout); never throws, and stays within what is left of the invocation.
 */
export function paceRetries(sqs: SQSClient, toPace: readonly RetryRecord[], backoff: { baseSeconds: number; maxSeconds: number }, remainingMs: number | undefined) {
  return changeVisibility(sqs, planVisibilityChanges(toPace, backoff.baseSeconds, backoff.maxSeconds), pacingBudgetMs(remainingMs));
}
