import { expectScenarioHolds } from './expect-scenario';
import { lambdaCrashAndTimeout } from './scenarios/lambda-crash-and-timeout';

describe('chaos: Lambda faults', () => {
  it('4. redelivers the batches of a crashed and a timed-out invocation', async () => {
    const row = await expectScenarioHolds(lambdaCrashAndTimeout, 200);
    expect(row.raw).toBe(row.sent);
  });
});
