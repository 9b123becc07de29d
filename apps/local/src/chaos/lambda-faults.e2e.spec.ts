import { expectScenarioHolds } from '../../test/expect-scenario';
import { lambdaCrashAndTimeout } from './scenarios/lambda-crash-and-timeout';

describe('chaos: Lambda faults', () => {
  it('4. redelivers the batches of a crashed and a timed-out invocation; a batch that crashed every receive is archived, its RAW copies counted as duplicates', async () => {
    const row = await expectScenarioHolds(lambdaCrashAndTimeout, 200);
    expect(row.lost).toBe(0);
    // each identity counted once: RAW first, the DLQ archive only for what never reached the table
    expect(row.raw + row.archived).toBe(row.sent);
    expect(row.checks.find((c) => c.name === 'archived copies of RAW rows counted as duplicates')?.ok).toBe(true);
  });
});
