import { minuteWindow } from '@lean-ops/contracts';
import { errorMessage } from '../core/classify-error';
import { addCheckpointCounts } from '../lib/checkpoints';
import { logger } from '../lib/logger';
import type { BatchState } from './batch-state';

/**
 * `received` goes to the checkpoint before any outcome: an invocation that crashes or times out after this leaves
 * received > delivered + dropped + retried, the gap the water-balance monitor alarms on.
 */
export async function countReceived(b: BatchState): Promise<void> {
  const perTopic = new Map<string, number>();
  for (const t of b.topicOf) perTopic.set(t, (perTopic.get(t) ?? 0) + 1);
  const window = minuteWindow(b.now);
  await Promise.all(
    [...perTopic].map(async ([topic, received]) => {
      try {
        await addCheckpointCounts(b.deps.dynamodb, b.config.checkpointsTable, topic, window, { received }, b.now, b.config.checkpointTtlDays);
      } catch (err) {
        logger.error('CHECKPOINT_FAILED', { topic, window, counts: { received }, error: errorMessage(err) });
      }
    }),
  );
}
