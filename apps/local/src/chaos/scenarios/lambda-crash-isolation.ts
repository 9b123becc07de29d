import type { ChaosScenario } from '../chaos-types';
import { send, settleAndReport, withFreshStack } from '../harness';
import { crashIsolationChecks, duplicateNote } from './crash-checks';

const TOPICS = { orders: 1, payments: 1, clickstream: 1 };
const CRASHERS = 3;

/**
 * 10. `lambda_crash` records kill every invocation that processes them. Crash isolation pins each to the record
 * being processed and quarantines it as CRASHED_RUNTIME after N crashes; its batch-mates land in RAW, none in the DLQ.
 */
export const lambdaCrashIsolation: ChaosScenario = {
  name: 'lambda-crash-isolation',
  title: 'Records that crash every invocation (crash isolation)',
  defaultSize: 1000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const processor = `${stack.config.namePrefix}-sqs-processor`;
      const sent = await send(stack, { name: 'chaos-crash-isolation', total: ctx.size, rate: 'unlimited', seed: 111, topics: TOPICS, mix: { lambda_crash: (CRASHERS / ctx.size) * 100 } });
      const report = await settleAndReport(stack, sent, 420_000);
      const stats = (await stack.activity()).functions[processor];
      return {
        report,
        checks: [{ name: 'an invocation crashed', ok: (stats?.crashes ?? 0) >= 1, detail: `crashes ${stats?.crashes ?? 0}` }, ...crashIsolationChecks(report, sent.messages)],
        note: `${stats?.crashes ?? 0} crash(es); ${duplicateNote(report)}`,
      };
    }),
};
