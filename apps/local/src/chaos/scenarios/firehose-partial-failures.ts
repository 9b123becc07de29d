import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, send, settleAndReport, withFreshStack } from '../harness';

/** 1. PutRecordBatch succeeds but FailedPutCount > 0: 20% of records fail per record and must be re-sent. */
export const firehosePartialFailures: ChaosScenario = {
  name: 'firehose-partial-failures',
  title: 'Firehose per-record failures on 20% of records',
  defaultSize: 2000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      stack.faults.setFirehose({ perRecordFailureRate: 0.2 });
      const sent = await send(stack, { name: 'chaos-partial', total: ctx.size, rate: 'unlimited', seed: 101, topics: { orders: 1, payments: 1, clickstream: 1 } });
      const report = await settleAndReport(stack, sent);
      const want = expectedCounts(sent.messages);
      const calls = report.firehose.calls;
      return {
        report,
        checks: [
          { name: 'every record in RAW', ok: report.balance.rawDistinct === want.raw, detail: `RAW ${report.balance.rawDistinct} of ${want.raw}` },
          { name: 'nothing misplaced', ok: report.misplaced.count === 0, detail: JSON.stringify(report.misplaced.first.slice(0, 3)) },
        ],
        note: `${calls} PutRecordBatch calls for ${want.raw} records (re-sends of the failed entries included)`,
      };
    }),
};
