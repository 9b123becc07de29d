import { expectScenarioHolds } from '../../test/expect-scenario';
import { stackKilled } from './scenarios/stack-killed';

describe('chaos: the stack killed', () => {
  it('5. keeps queued messages, committed rows and the sent ledger across SIGKILL and restart', async () => {
    // `size` is what the scenario tries to send; only what SQS accepted before the kill counts.
    const row = await expectScenarioHolds(stackKilled, 400);
    expect(row.raw + row.quarantined).toBe(row.sent);
  });
});
