import { dynamodbClient, lambdaClient, snsClient } from '../lib/clients';
import { once } from '../lib/config';
import { breakerConfig } from './config';
import { runBreaker, type BreakerResult } from './run-breaker';

const config = once(() => breakerConfig(process.env));

/** Alarm notifications (SNS) and scheduled ticks (EventBridge) -> per-topic breaker transitions. */
export async function handler(event: unknown): Promise<BreakerResult[]> {
  return runBreaker(event, { config: config(), dynamodb: dynamodbClient(), lambda: lambdaClient(), sns: snsClient() });
}
