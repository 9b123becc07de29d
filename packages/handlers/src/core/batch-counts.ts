/** Per-topic counts of one SQS batch: what the processor adds to its checkpoint window and emits as metrics. */

export type RecordStatus = 'delivered' | 'dropped' | 'retry';

export interface BatchCounts {
  received: number;
  delivered: number;
  dropped: number;
  retried: number;
  /** Records on their first receive (ApproximateReceiveCount 1). */
  firstReceived: number;
  /** First-receive records returned for retry: with firstReceived, the breaker's error rate on new data. */
  firstFailed: number;
}

export const emptyBatchCounts = (): BatchCounts => ({ received: 0, delivered: 0, dropped: 0, retried: 0, firstReceived: 0, firstFailed: 0 });

/**
 * Counts one record into its topic's counts. Retries of an older failure (receive count > 1) count as received
 * and retried (water balance) but not as first attempts, so a few bad records on their way to the DLQ cannot
 * dominate the breaker's error rate.
 */
export function countRecord(counts: Map<string, BatchCounts>, topic: string, status: RecordStatus, receiveCount: number): BatchCounts {
  let c = counts.get(topic);
  if (!c) {
    c = emptyBatchCounts();
    counts.set(topic, c);
  }
  const first = receiveCount <= 1;
  c.received++;
  if (first) c.firstReceived++;
  if (status === 'delivered') c.delivered++;
  else if (status === 'dropped') c.dropped++;
  else {
    c.retried++;
    if (first) c.firstFailed++;
  }
  return c;
}

export function tallyBatch(records: Iterable<{ topic: string; status: RecordStatus; receiveCount: number }>): Map<string, BatchCounts> {
  const counts = new Map<string, BatchCounts>();
  for (const r of records) countRecord(counts, r.topic, r.status, r.receiveCount);
  return counts;
}
