import { DEFAULTS, WATER_BALANCE_WINDOW_MINUTES, type HandlerEnvValues } from '@lean-ops/contracts';
import type { EnvironmentConfig } from './types';

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

/** One mapping for the AWS stack and the local stack, so the same env file tunes the handlers the same way in both. */
export function handlerTuning(config: EnvironmentConfig): HandlerTuning {
  return {
    breakerCooldownSeconds: config.breaker.cooldownSeconds,
    errorRateThresholdPercent: config.alarms.errorRatePercent,
    errorRateMinErrors: config.alarms.errorRateMinErrors,
    errorTtlDays: DEFAULTS.errorTtlDays,
    checkpointTtlDays: DEFAULTS.checkpointTtlDays,
    waterBalanceWindowMinutes: WATER_BALANCE_WINDOW_MINUTES,
    retryBaseDelaySeconds: config.messaging.retryBaseDelaySeconds,
    retryMaxDelaySeconds: config.messaging.retryMaxDelaySeconds,
    crashQuarantineAfter: DEFAULTS.crashQuarantineAfter,
    maxReceiveCount: config.messaging.maxReceiveCount,
  };
}
