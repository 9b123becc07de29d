import { names } from '@lean-ops/contracts';
import { parseScenario } from '@lean-ops/injector';
import type { Report } from '../src/report/report-types';
import type { LocalStack } from '../src/stack/local-stack';
import { injectInto, removeDir, startTestStack, waitFor } from './e2e-support';

/**
 * The processor counts `received` before any outcome, so an invocation that crashes after receiving leaves
 * received > delivered + dropped + retried in its checkpoint window: the monitor's WaterBalanceGap goes above 0
 * and the water-balance alarm of the CloudWatch stand-in goes to ALARM.
 */
describe('water balance: a crashed invocation leaves a gap and the alarm fires', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    ({ stack } = await startTestStack());
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) await removeDir(stack.dataDir);
  });

  it('crash -> gap > 0 -> WaterBalanceGap alarm in ALARM', async () => {
    // One record that crashes every invocation processing it: each crash leaves its batch counted in, never out.
    const s = parseScenario({ name: 'wb-gap', total: 40, rate: 'unlimited', seed: 7, topics: { orders: 1 }, mix: { lambda_crash: 2.5 } }, 'wb-gap.json');
    await injectInto(stack, s);
    const alarm = names.waterBalanceAlarm(stack.config.namePrefix);
    // The monitor sums complete minutes only: the gap shows once the crash's minute is over.
    const report = await waitFor(
      'the water-balance alarm to fire',
      async () => {
        const r: Report = await stack.report({});
        return r.alarms.transitions.some((t) => t.name === alarm && t.to === 'ALARM') ? r : undefined;
      },
      150_000,
      2000,
    );
    const orders = report.ledger.find((l) => l.topic === 'orders')!;
    // Every receive was counted; the crashed ones have no outcome.
    expect(orders.received).toBeGreaterThan(orders.delivered);
    expect(report.alarms.transitions.find((t) => t.name === alarm && t.to === 'ALARM')).toBeDefined();
  });
});
