import { runScenario } from '../src/chaos/run-chaos';
import type { ChaosRow, ChaosScenario } from '../src/chaos/chaos-types';

/** Runs one scenario as a test: nothing lost, the balance holds and every scenario check passes. */
export async function expectScenarioHolds(scenario: ChaosScenario, size: number): Promise<ChaosRow> {
  const row = await runScenario(scenario, { size });
  expect(row.checks.filter((c) => !c.ok)).toEqual([]);
  expect(row.lost).toBe(0);
  expect(row.sent).toBeGreaterThan(0);
  return row;
}
