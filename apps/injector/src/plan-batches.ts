import { LIMITS } from '@lean-ops/contracts';

export interface BatchLimits {
  /** SendMessageBatch: at most 10 entries. */
  maxEntries: number;
  /** SendMessageBatch: the sum of the bodies may not exceed this. */
  maxBatchBytes: number;
}

/** SQS documents the same 1 MiB for one message and for the sum of a SendMessageBatch's messages. */
export const SQS_BATCH_LIMITS: BatchLimits = { maxEntries: LIMITS.sqsMaxBatchEntries, maxBatchBytes: LIMITS.sqsMaxMessageBytes };

export interface PlannedBatch {
  topic: string;
  /** Indexes into the message list, in the list's order. */
  indexes: number[];
  bytes: number;
  /** A message too large to share a batch: sent alone with SendMessage. */
  single: boolean;
}

/**
 * Packs messages into per-topic batches within the SendMessageBatch limits, keeping each topic's order.
 * A batch closes when the next message would exceed either limit.
 */
export function planBatches(messages: ReadonlyArray<{ topic: string; bytes: number }>, limits: BatchLimits = SQS_BATCH_LIMITS): PlannedBatch[] {
  const out: PlannedBatch[] = [];
  const open = new Map<string, PlannedBatch>();
  messages.forEach((m, index) => {
    if (m.bytes > limits.maxBatchBytes) {
      out.push({ topic: m.topic, indexes: [index], bytes: m.bytes, single: true });
      return;
    }
    let batch = open.get(m.topic);
    if (batch && (batch.indexes.length >= limits.maxEntries || batch.bytes + m.bytes > limits.maxBatchBytes)) {
      out.push(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { topic: m.topic, indexes: [], bytes: 0, single: false };
      open.set(m.topic, batch);
    }
    batch.indexes.push(index);
    batch.bytes += m.bytes;
  });
  for (const batch of open.values()) if (batch.indexes.length) out.push(batch);
  return out;
}
