import * as path from 'node:path';
import { DEFAULTS, WATER_BALANCE_WINDOW_MINUTES } from '@lean-ops/contracts';
import { handlerTuning } from './handler-tuning';
import { loadEnvironment } from './load';

describe('handlerTuning', () => {
  it('takes breaker, alarm and retry settings from the env file and the rest from contracts', async () => {
    const local = await loadEnvironment(path.join(__dirname, '../../../environments/local.tfvars'));
    expect(handlerTuning(local)).toEqual({
      breakerCooldownSeconds: 10,
      errorRateThresholdPercent: 50,
      errorRateMinErrors: 5,
      errorTtlDays: DEFAULTS.errorTtlDays,
      checkpointTtlDays: DEFAULTS.checkpointTtlDays,
      waterBalanceWindowMinutes: WATER_BALANCE_WINDOW_MINUTES,
      retryBaseDelaySeconds: 1,
      retryMaxDelaySeconds: 5,
      crashQuarantineAfter: 2,
      maxReceiveCount: 3,
    });
  });
});
