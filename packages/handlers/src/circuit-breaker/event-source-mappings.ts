import { ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { LIMITS, type TopicRuntimeConfig } from '@lean-ops/contracts';
import type { BreakerAction } from '../core/breaker-state';

/** The processor's mappings for one topic's queue (normally exactly one). */
async function mappingIds(lambda: LambdaClient, functionName: string, queueArn: string): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const resp = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionName, EventSourceArn: queueArn, Marker: marker }));
    for (const m of resp.EventSourceMappings ?? []) if (m.UUID) ids.push(m.UUID);
    marker = resp.NextMarker;
  } while (marker);
  return ids;
}

/**
 * DISABLE stops polling (messages wait in the queue, their retention keeps running); ENABLE_PROBE resumes at
 * the lowest maximum concurrency SQS mappings accept (2); RESTORE resumes at the topic's configured value.
 */
export async function applyBreakerAction(lambda: LambdaClient, functionName: string, topic: TopicRuntimeConfig, action: BreakerAction): Promise<string[]> {
  const ids = await mappingIds(lambda, functionName, topic.queueArn);
  const restore = Math.max(LIMITS.esmMinMaximumConcurrency, topic.maximumConcurrency || LIMITS.esmMinMaximumConcurrency);
  for (const UUID of ids) {
    if (action === 'DISABLE') await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    else {
      const max = action === 'ENABLE_PROBE' ? LIMITS.esmMinMaximumConcurrency : restore;
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true, ScalingConfig: { MaximumConcurrency: max } }));
    }
  }
  return ids;
}
