import type { ChaosScenario } from '../chaos-types';
import { send, settleAndReport, withFreshStack } from '../harness';
import { crashIsolationChecks, duplicateNote } from './crash-checks';

/**
 * 12. The crash mix: 1% `lambda_crash_once`, 0.2% `lambda_crash`, 1.5% `processing_error` in full batches. RAW holds
 * every other message, the quarantine the `lambda_crash` ones (CRASHED_RUNTIME), the DLQ archive only the
 * processing errors; innocent batch-mates of crashes never exhaust their receives.
 */
export const crashMix: ChaosScenario = {
  name: 'crash-mix',
  title: 'Crash-once, crash-always and processing errors in full batches',
  defaultSize: 5000,
  run: (ctx) =>
    withFreshStack({}, async (stack) => {
      const processor = `${stack.config.namePrefix}-sqs-processor`;
      const mix = { lambda_crash_once: 1, lambda_crash: 0.2, processing_error: 1.5 };
      const sent = await send(stack, { name: 'chaos-crash-mix', total: ctx.size, rate: 'unlimited', seed: 113, topics: { orders: 1, payments: 1, clickstream: 1 }, mix });
      const report = await settleAndReport(stack, sent, 900_000);
      const stats = (await stack.activity()).functions[processor];
      return {
        report,
        checks: crashIsolationChecks(report, sent.messages),
        note: `${stats?.crashes ?? 0} crash(es), ${stats?.timeouts ?? 0} timeout(s); ${duplicateNote(report)}`,
      };
    }),
};
