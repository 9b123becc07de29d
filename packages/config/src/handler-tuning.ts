import { DEFAULTS, WATER_BALANCE_WINDOW_MINUTES, type HandlerTuning } from '@lean-ops/contracts';
import type { EnvironmentConfig } from './types';

export type { HandlerTuning };

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
