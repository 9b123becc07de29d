import type { ChaosScenario } from '../chaos-types';
import { send, settleAndReport, withFreshStack } from '../harness';
import { crashIsolationChecks, duplicateNote } from './crash-checks';

const TOPICS = { orders: 1, payments: 1, clickstream: 1 };
const HANGS = 3;

/**
 * 11. `lambda_timeout_once` records hang the first invocation holding them past its deadline: the runtime times it
 * out and ends the environment. The batch comes back once and lands in RAW; nothing is quarantined or archived.
 */
export const lambdaTimeoutOnce: ChaosScenario = {
  name: 'lambda-timeout-once',
  title: 'An invocation hangs past its deadline once',
  defaultSize: 1000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const processor = `${stack.config.namePrefix}-sqs-processor`;
      const sent = await send(stack, { name: 'chaos-timeout-once', total: ctx.size, rate: 'unlimited', seed: 112, topics: TOPICS, mix: { lambda_timeout_once: (HANGS / ctx.size) * 100 } });
      const report = await settleAndReport(stack, sent, 300_000);
      const stats = (await stack.activity()).functions[processor];
      return {
        report,
        checks: [{ name: 'an invocation timed out', ok: (stats?.timeouts ?? 0) >= 1, detail: `timeouts ${stats?.timeouts ?? 0}` }, ...crashIsolationChecks(report, sent.messages)],
        note: `${stats?.timeouts ?? 0} timeout(s); ${duplicateNote(report)}`,
      };
    }),
};
