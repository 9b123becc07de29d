import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LIMITS, type BreakerState } from '@lean-ops/contracts';
import type { StackAuthorization } from '../iam/stack-authorization';
import type { EventSourceMappings } from '../lambda';
import type { StackPlan } from '../plan/stack-plan-of';
import { queueArn } from '../sqs';
import { readBreakerStates } from './wire-tables';

/**
 * The plan's event source mappings, each checked as Lambda checks it (the function's role must be able to poll).
 * A breaker left OPEN (or probing) by a previous run of this data dir keeps its mapping stopped (or throttled).
 */
export async function createMappings(esm: EventSourceMappings, plan: StackPlan, o: { region: string; iam: StackAuthorization; dynamodb: DynamoDBClient }): Promise<void> {
  const breakerStates = await readBreakerStates(o.dynamodb, plan.tables.locks);
  for (const m of plan.mappings) {
    o.iam.checkMapping(m.functionName, plan.topology.functions.find((f) => f.name === m.functionName)?.roleArn ?? '', m.queueName);
    const state = m.topic ? breakerStates[m.topic] : undefined;
    esm.create({
      uuid: m.uuid,
      functionName: m.functionName,
      eventSourceArn: queueArn(o.region, m.queueName),
      batchSize: m.batchSize,
      maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
      maximumConcurrency: state === ('HALF_OPEN' satisfies BreakerState) ? LIMITS.esmMinMaximumConcurrency : (m.maximumConcurrency ?? LIMITS.esmMaxMaximumConcurrency),
      functionResponseTypes: m.functionResponseTypes,
      enabled: m.enabled && state !== ('OPEN' satisfies BreakerState),
    });
  }
}
