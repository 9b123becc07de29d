import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { RedriveTargets } from './targets';

const POLL_MS = 500;

/**
 * Disables the DLQ's event source mappings (the DLQ processor) while messages are moved by hand: its pollers
 * long-poll the DLQ and take every message the moment it is visible, so neither a receive loop nor a
 * StartMessageMoveTask (which moves visible messages only) would see them. Waits up to `maxWaitMs` for the
 * messages it holds to become visible again. Returns the function that re-enables the mappings.
 */
export async function pauseDlqConsumers(t: RedriveTargets, log: (line: string) => void, maxWaitMs = 60_000): Promise<() => Promise<void>> {
  const dlqArn = await t.queueArn(t.dlqUrl);
  const list = await t.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: dlqArn }));
  const paused = (list.EventSourceMappings ?? []).filter((m) => m.UUID && m.State !== 'Disabled' && m.State !== 'Disabling').map((m) => m.UUID!);
  for (const uuid of paused) await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
  if (paused.length) log(`PAUSED ${paused.length} DLQ event source mapping(s): ${paused.join(', ')}`);
  const restore = async () => {
    for (const uuid of paused) await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    if (paused.length) log(`RESUMED ${paused.length} DLQ event source mapping(s)`);
  };
  try {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const a = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: t.dlqUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
      const held = Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (held === 0) break;
      if (Date.now() > deadline) {
        log(`${held} DLQ message(s) still in flight after ${maxWaitMs / 1000} s: they stay for a later run`);
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (err) {
    await restore();
    throw err;
  }
  return restore;
}
