import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, send, settleAndReport, withFreshStack } from '../harness';

const THROTTLE_MS = 4000;

/** 2. Every PutRecordBatch call throttled for several seconds: the records come back (backoff, then SQS) and land. */
export const firehoseThrottling: ChaosScenario = {
  name: 'firehose-throttling',
  title: `Firehose throttling for ${THROTTLE_MS / 1000} s`,
  defaultSize: 2000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      stack.faults.setFirehose({ throttleForMs: THROTTLE_MS });
      const sent = await send(stack, { name: 'chaos-throttle', total: ctx.size, rate: 'unlimited', seed: 102, topics: { orders: 1, payments: 1, clickstream: 1 } });
      const report = await settleAndReport(stack, sent);
      const want = expectedCounts(sent.messages);
      const received = report.ledger.reduce((n, t) => n + t.received, 0);
      // A record whose three receives all fall inside the throttle window ends in the DLQ archive: not lost, not RAW.
      return {
        report,
        checks: [
          {
            name: 'every record in RAW or archived',
            ok: report.balance.rawDistinct + report.balance.dlqArchived === want.raw,
            detail: `RAW ${report.balance.rawDistinct} + archived ${report.balance.dlqArchived} of ${want.raw}`,
          },
          { name: 'the processor retried (received > sent)', ok: received > report.balance.sent, detail: `received ${received}, sent ${report.balance.sent}` },
        ],
        note:
          report.balance.dlqArchived > 0
            ? `${report.balance.dlqArchived} record(s) used up their ${stack.config.messaging.maxReceiveCount} receives inside the throttle (retry pacing ${stack.config.messaging.retryBaseDelaySeconds} s base) and were archived; \`npm run redrive\` replays them`
            : 'every record landed after the throttle',
      };
    }),
};
