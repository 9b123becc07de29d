import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, send, settleAndReport, withFreshStack } from '../harness';

/** 9. The same message id sent twice (10% of sends): one RAW row per id, counted as a duplicate, never as a loss. */
export const duplicateDelivery: ChaosScenario = {
  name: 'duplicate-delivery',
  title: 'Duplicate delivery (the same message id sent twice)',
  defaultSize: 2000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const sent = await send(stack, { name: 'chaos-duplicates', total: ctx.size, rate: 'unlimited', seed: 114, topics: { orders: 1, payments: 1, clickstream: 1 }, mix: { duplicate: 10 } });
      const report = await settleAndReport(stack, sent);
      const want = expectedCounts(sent.messages);
      const distinctDuplicated = new Set(sent.messages.filter((m) => m.expected === 'duplicate').map((m) => m.messageId)).size;
      return {
        report,
        checks: [
          { name: 'one RAW row set per id', ok: report.balance.rawDistinct === want.raw, detail: `RAW distinct ${report.balance.rawDistinct} of ${want.raw}` },
          {
            name: 'duplicates counted',
            ok: report.duplicates.sentMoreThanOnce === distinctDuplicated && report.balance.duplicates >= distinctDuplicated,
            detail: `sent more than once ${report.duplicates.sentMoreThanOnce} of ${distinctDuplicated}, balance duplicates ${report.balance.duplicates}`,
          },
        ],
      };
    }),
};
