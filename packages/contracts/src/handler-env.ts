import { ENV, type TopicRuntimeConfig } from './env-vars';
import { DEFAULTS, WATER_BALANCE_WINDOW_MINUTES } from './limits';
import type { FunctionKind } from './names';

/**
 * The values each handler's environment is built from. ComputeModule passes Terraform references
 * (tokens are strings), the local stack passes local values: both get the same variables from here.
 */
export interface HandlerEnvValues {
  namePrefix: string;
  topics: TopicRuntimeConfig[];
  deliveryStream: string;
  archiveBucket: string;
  checkpointsTable: string;
  locksTable: string;
  errorsTable: string;
  alertTopicArn: string;
  processorFunctionName: string;
  dlqUrl: string;
  breakerCooldownSeconds: number;
  errorRateThresholdPercent: number;
  errorRateMinErrors: number;
  errorTtlDays: number;
  checkpointTtlDays: number;
  waterBalanceWindowMinutes: number;
  retryBaseDelaySeconds: number;
  retryMaxDelaySeconds: number;
  crashQuarantineAfter: number;
  maxReceiveCount: number;
}

/** The handler settings that come from the environment file (or fixed defaults), not from resource names. */
export type HandlerTuning = Pick<
  HandlerEnvValues,
  | 'breakerCooldownSeconds'
  | 'errorRateThresholdPercent'
  | 'errorRateMinErrors'
  | 'errorTtlDays'
  | 'checkpointTtlDays'
  | 'waterBalanceWindowMinutes'
  | 'retryBaseDelaySeconds'
  | 'retryMaxDelaySeconds'
  | 'crashQuarantineAfter'
  | 'maxReceiveCount'
>;

/** The tuning an environment file that sets nothing gets (every value from DEFAULTS). */
export const DEFAULT_HANDLER_TUNING: Readonly<HandlerTuning> = {
  breakerCooldownSeconds: DEFAULTS.breakerCooldownSeconds,
  errorRateThresholdPercent: DEFAULTS.errorRateThresholdPercent,
  errorRateMinErrors: DEFAULTS.errorRateMinErrors,
  errorTtlDays: DEFAULTS.errorTtlDays,
  checkpointTtlDays: DEFAULTS.checkpointTtlDays,
  waterBalanceWindowMinutes: WATER_BALANCE_WINDOW_MINUTES,
  retryBaseDelaySeconds: DEFAULTS.retryBaseDelaySeconds,
  retryMaxDelaySeconds: DEFAULTS.retryMaxDelaySeconds,
  crashQuarantineAfter: DEFAULTS.crashQuarantineAfter,
  maxReceiveCount: DEFAULTS.maxReceiveCount,
};

/** Which variables each handler reads (least knowledge: a handler sees only what it uses). */
const USES: Record<FunctionKind, ReadonlyArray<keyof HandlerEnvValues>> = {
  'sqs-processor': [
    'namePrefix',
    'topics',
    'deliveryStream',
    'archiveBucket',
    'checkpointsTable',
    'errorsTable',
    'errorTtlDays',
    'checkpointTtlDays',
    'retryBaseDelaySeconds',
    'retryMaxDelaySeconds',
    'crashQuarantineAfter',
    'maxReceiveCount',
  ],
  'dlq-processor': ['namePrefix', 'topics', 'archiveBucket', 'checkpointsTable', 'errorsTable', 'errorTtlDays', 'checkpointTtlDays', 'dlqUrl', 'retryBaseDelaySeconds', 'retryMaxDelaySeconds'],
  'circuit-breaker': ['namePrefix', 'topics', 'locksTable', 'checkpointsTable', 'alertTopicArn', 'processorFunctionName', 'breakerCooldownSeconds', 'errorRateThresholdPercent', 'errorRateMinErrors'],
  'water-balance': ['namePrefix', 'topics', 'checkpointsTable', 'dlqUrl', 'waterBalanceWindowMinutes'],
};

export function handlerEnv(kind: FunctionKind, v: HandlerEnvValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of USES[kind]) {
    const value = v[key];
    out[ENV[key]] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
