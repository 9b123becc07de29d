import type { ChaosScenario } from '../chaos-types';
import { send, settleAndReport, withFreshStack } from '../harness';

/**
 * 3. One `firehose_reject` record inside a full batch of good ones on one topic: the whole PutRecordBatch call
 * is refused, bisection narrows it to the one record, which is quarantined; the rest reach RAW.
 */
export const poisonRecord: ChaosScenario = {
  name: 'poison-record',
  title: 'A poison record inside a full batch (bisection)',
  defaultSize: 500,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const batch = stack.config.topics.find((t) => t.name === 'orders')?.batchSize ?? 100;
      const total = Math.max(batch, ctx.size);
      // One poison per full batch: the mix is a percentage, so 100 / batch size gives exactly one per batch.
      const sent = await send(stack, { name: 'chaos-poison', total, rate: 'unlimited', seed: 103, topics: { orders: 1 }, mix: { firehose_reject: 100 / batch } });
      const poison = sent.messages.filter((m) => m.fault === 'firehose_reject').map((m) => m.messageId!);
      const report = await settleAndReport(stack, sent);
      const quarantinedIds = report.misplaced.count === 0 && report.balance.quarantined === poison.length;
      return {
        report,
        checks: [
          {
            name: 'exactly the poison records quarantined',
            ok: quarantinedIds,
            detail: `quarantined ${report.balance.quarantined}, poison ${poison.length}, misplaced ${JSON.stringify(report.misplaced.first.slice(0, 3))}`,
          },
          { name: 'the rest in RAW', ok: report.balance.rawDistinct === total - poison.length, detail: `RAW ${report.balance.rawDistinct} of ${total - poison.length}` },
          { name: 'reason FIREHOSE_REJECTED', ok: (report.dropping.FIREHOSE_REJECTED ?? 0) >= poison.length, detail: JSON.stringify(report.dropping) },
        ],
      };
    }),
};
