import { LIMITS } from '@lean-ops/contracts';

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}

/** PutRecordBatch: 500 records and 4 MiB per call. */
export const FIREHOSE_BATCH_LIMITS: BatchLimits = {
  maxRecords: LIMITS.firehoseMaxRecordsPerBatch,
  maxBytes: LIMITS.firehoseMaxBatchBytes,
};

/** Packs records, in order, into as few calls as the limits allow (greedy; order is kept for the logs). */
export function planFirehoseBatches<T extends { bytes: number }>(records: readonly T[], limits: BatchLimits = FIREHOSE_BATCH_LIMITS): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length > 0 && (current.length >= limits.maxRecords || bytes + record.bytes > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
