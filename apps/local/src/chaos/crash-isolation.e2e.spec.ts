import { expectScenarioHolds } from './expect-scenario';
import { crashMix } from './scenarios/crash-mix';
import { lambdaCrashIsolation } from './scenarios/lambda-crash-isolation';
import { lambdaTimeoutOnce } from './scenarios/lambda-timeout-once';

const TEN_MINUTES = 600_000;

describe('chaos: crash isolation', () => {
  it('10. quarantines records that crash every invocation as CRASHED_RUNTIME; their batch-mates land in RAW, none in the DLQ', async () => {
    const row = await expectScenarioHolds(lambdaCrashIsolation, 300);
    expect(row.quarantined).toBe(3);
    expect(row.archived).toBe(0);
    expect(row.raw).toBe(297);
  }, TEN_MINUTES);

  it('11. lands the batch of an invocation that hung past its deadline once', async () => {
    const row = await expectScenarioHolds(lambdaTimeoutOnce, 300);
    expect(row.raw).toBe(300);
    expect(row.checks.find((c) => c.name === 'an invocation timed out')?.ok).toBe(true);
  }, TEN_MINUTES);

  it('12. crash mix in full batches: RAW all others, quarantine the crashers, the DLQ archive only processing errors', async () => {
    // 1,000 records keep the proportions of the 5,000-record proof (apps/injector/tests/configs/crash_mix.json).
    const row = await expectScenarioHolds(crashMix, 1000);
    // 9 crash-once, 3 crash-always, 15 processing errors among 1,000 (seed 113).
    expect(row.quarantined).toBe(3);
    expect(row.archived).toBe(15);
    expect(row.raw).toBe(982);
  }, 2 * TEN_MINUTES);
});
