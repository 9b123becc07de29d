import { expectScenarioHolds } from '../../test/expect-scenario';
import { duplicateDelivery } from './scenarios/duplicate-delivery';

describe('chaos: duplicate delivery', () => {
  it('9. counts a message id sent twice as a duplicate, never as a loss', async () => {
    const row = await expectScenarioHolds(duplicateDelivery, 300);
    expect(row.duplicates).toBeGreaterThan(0);
    expect(row.raw).toBe(270);
  });
});
