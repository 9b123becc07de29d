import type { ChaosScenario } from '../chaos-types';
import { duplicateDelivery } from './duplicate-delivery';
import { firehosePartialFailures } from './firehose-partial-failures';
import { firehoseThrottling } from './firehose-throttling';
import { lambdaCrashAndTimeout } from './lambda-crash-and-timeout';
import { lambdaCrashIsolation } from './lambda-crash-isolation';
import { lambdaTimeoutOnce } from './lambda-timeout-once';
import { poisonRecord } from './poison-record';
import { poisonTopic } from './poison-topic';
import { stackKilled } from './stack-killed';
import { dynamodbDown, s3Down } from './state-outage';

/** The fault matrix, in the order. */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  firehosePartialFailures,
  firehoseThrottling,
  poisonRecord,
  lambdaCrashAndTimeout,
  stackKilled,
  dynamodbDown,
  s3Down,
  poisonTopic,
  duplicateDelivery,
  lambdaCrashIsolation,
  lambdaTimeoutOnce,
];
