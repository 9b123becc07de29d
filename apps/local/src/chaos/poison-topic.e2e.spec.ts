import { expectScenarioHolds } from './expect-scenario';
import { poisonTopic } from './scenarios/poison-topic';

describe('chaos: a poison topic', () => {
  it('8. trips only its own breaker, the healthy topics flow, and it closes through HALF_OPEN', async () => {
    const row = await expectScenarioHolds(poisonTopic, 300);
    expect(row.breaker).toMatch(/^payments CLOSED>OPEN>.*HALF_OPEN>CLOSED$/);
  });
});
