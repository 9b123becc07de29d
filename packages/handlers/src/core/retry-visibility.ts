import { LIMITS } from '@lean-ops/contracts';

/**
 * Seconds a RETRY record stays invisible before its next receive: min(base * 2^(receiveCount - 1), cap).
 * Without this a record reported in batchItemFailures waits its whole visibility timeout, which AWS requires
 * to be >= 6 x the function timeout (minutes per attempt).
 */
export function retryVisibility(receiveCount: number, baseSeconds: number, capSeconds: number): number {
  const n = Number.isInteger(receiveCount) && receiveCount > 1 ? receiveCount : 1;
  const base = Math.max(0, Math.floor(baseSeconds));
  const cap = Math.min(Math.max(0, Math.floor(capSeconds)), LIMITS.sqsMaxVisibilityTimeoutSeconds);
  if (base === 0) return 0;
  // 2^31 s exceeds any cap (12 h), so larger exponents change nothing and cannot overflow.
  return Math.min(base * 2 ** Math.min(n - 1, 31), cap);
}

/** One record to return early: its queue, receipt handle and receive count. */
export interface RetryRecord {
  queueUrl: string;
  messageId: string;
  receiptHandle: string;
  receiveCount: number;
  /** Fixed visibility instead of the backoff: 0 for work the invocation had no time to start. */
  visibilitySeconds?: number;
}

export interface VisibilityEntry {
  /** Batch entry id: unique within its call, [A-Za-z0-9_-]{1,80} as SQS requires. */
  Id: string;
  ReceiptHandle: string;
  VisibilityTimeout: number;
  /** For logs only (not sent). */
  messageId: string;
}

export interface VisibilityBatch {
  queueUrl: string;
  entries: VisibilityEntry[];
}

/** Groups retry records by queue into ChangeMessageVisibilityBatch calls of at most 10 entries (SQS limit). */
export function planVisibilityChanges(records: readonly RetryRecord[], baseSeconds: number, capSeconds: number): VisibilityBatch[] {
  const byQueue = new Map<string, VisibilityEntry[]>();
  records.forEach((r, i) => {
    const entries = byQueue.get(r.queueUrl) ?? [];
    byQueue.set(r.queueUrl, entries);
    // Message ids may hold characters SQS refuses in entry ids; the index is always valid.
    entries.push({ Id: `r${i}`, ReceiptHandle: r.receiptHandle, VisibilityTimeout: r.visibilitySeconds ?? retryVisibility(r.receiveCount, baseSeconds, capSeconds), messageId: r.messageId });
  });
  const batches: VisibilityBatch[] = [];
  for (const [queueUrl, entries] of byQueue) {
    for (let i = 0; i < entries.length; i += LIMITS.sqsMaxBatchEntries) {
      batches.push({ queueUrl, entries: entries.slice(i, i + LIMITS.sqsMaxBatchEntries) });
    }
  }
  return batches;
}
