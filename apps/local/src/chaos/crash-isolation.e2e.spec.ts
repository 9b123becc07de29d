import { expectScenarioHolds } from '../../test/expect-scenario';
import { lambdaCrashIsolation } from './scenarios/lambda-crash-isolation';
import { lambdaTimeoutOnce } from './scenarios/lambda-timeout-once';

const TEN_MINUTES = 600_000;

describe('chaos: crash isolation', () => {
  it(
    '10. quarantines records that crash every invocation as CRASHED_RUNTIME; their batch-mates land in RAW, none in the DLQ',
    async () => {
      const row = await expectScenarioHolds(lambdaCrashIsolation, 300);
      expect(row.quarantined).toBe(3);
      expect(row.archived).toBe(0);
      expect(row.raw).toBe(297);
    },
    TEN_MINUTES,
  );

  it(
    '11. lands the batch of an invocation that hung past its deadline once',
    async () => {
      const row = await expectScenarioHolds(lambdaTimeoutOnce, 300);
      expect(row.raw).toBe(300);
      expect(row.checks.find((c) => c.name === 'an invocation timed out')?.ok).toBe(true);
    },
    TEN_MINUTES,
  );
});
