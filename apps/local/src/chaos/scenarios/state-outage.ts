import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, queueDepth, send, settleAndReport, sleep, waitFor, withFreshStack } from '../harness';

/** How long the outage lasts once every dead letter reached the DLQ: several DLQ processor attempts fail meanwhile. */
const HOLD_MS = 4000;

type Service = 'dynamodb' | 's3';

/**
 * 6, 7. The error tracker's DynamoDB (or the archive's S3) is down while dead letters arrive: the DLQ processor
 * deletes a dead letter only after both writes, so they stay in the DLQ until the service is back, then each is
 * archived once (the archive key and the error item depend only on topic, enqueue day and id).
 * Only processing errors and good records are sent: a DROP needs both services for its quarantine.
 */
function outage(service: Service): ChaosScenario {
  return {
    name: service === 'dynamodb' ? 'dynamodb-down' : 's3-down',
    title: service === 'dynamodb' ? 'DynamoDB (error tracker) down while DLQ messages arrive' : 'S3 archive down while DLQ messages arrive',
    defaultSize: 1000,
    run: (ctx) =>
      withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
        const setDown = (down: boolean) => (service === 'dynamodb' ? stack.faults.setDynamoDown(down) : stack.faults.setS3Down(down));
        await setDown(true);
        let restored = false;
        try {
          const sent = await send(stack, {
            name: `chaos-${service}-down`,
            total: ctx.size,
            rate: 'unlimited',
            seed: service === 'dynamodb' ? 109 : 110,
            topics: { orders: 1, payments: 1, clickstream: 1 },
            mix: { processing_error: 3 },
          });
          const want = expectedCounts(sent.messages);
          await waitFor('every processing error in the DLQ', async () => ((await queueDepth(stack, stack.dlqUrl)) >= want.dlq ? true : undefined), 90_000);
          await sleep(HOLD_MS);
          const stayed = await queueDepth(stack, stack.dlqUrl);
          await setDown(false);
          restored = true;
          const report = await settleAndReport(stack, sent);
          const archivedItems = report.errorTracker.byStatus.DLQ_ARCHIVED ?? 0;
          return {
            report,
            checks: [
              { name: 'dead letters stayed in the DLQ during the outage', ok: stayed === want.dlq, detail: `DLQ held ${stayed} of ${want.dlq}` },
              {
                name: 'each archived exactly once',
                ok: report.balance.dlqArchived === want.dlq && report.duplicates.crossLocation === 0,
                detail: `archived ${report.balance.dlqArchived} of ${want.dlq}, cross-location ${report.duplicates.crossLocation}`,
              },
              { name: 'one error item per dead letter', ok: archivedItems === want.dlq, detail: `DLQ_ARCHIVED items ${archivedItems}` },
              { name: 'good records in RAW', ok: report.balance.rawDistinct === want.raw, detail: `RAW ${report.balance.rawDistinct} of ${want.raw}` },
            ],
            note: `${service} down until all ${want.dlq} dead letters were in the DLQ, plus ${HOLD_MS / 1000} s`,
          };
        } finally {
          if (!restored) await setDown(false);
        }
      }),
  };
}

export const dynamodbDown = outage('dynamodb');
export const s3Down = outage('s3');
