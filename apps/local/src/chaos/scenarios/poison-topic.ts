import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCKS, breakerLockId, queueNameFromArn, queueNameFromUrl } from '@lean-ops/contracts';
import type { LocalStack } from '../../stack/local-stack';
import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, mergeSends, queueDepth, send, settleAndReport, waitFor, withFreshStack, type Sent } from '../harness';

const TRICKLE_MS = 2000;

async function breakerState(ddb: DynamoDBClient, stack: LocalStack, topic: string): Promise<string> {
  const r = await ddb.send(new GetItemCommand({ TableName: stack.tables.locks, Key: { [LOCKS.partitionKey]: { S: breakerLockId(topic) } }, ConsistentRead: true }));
  return r.Item?.[LOCKS.attributes.state]?.S ?? 'CLOSED';
}

/** The URL of a topic's queue; the scenario names topics of the local environment, so one missing is an error. */
function topicQueueUrl(stack: LocalStack, topic: string): string {
  const url = stack.queueUrls[topic];
  if (url === undefined) throw new Error(`the stack has no queue for topic ${topic}`);
  return url;
}

/** The state of the event source mapping that reads a topic's queue (`Enabled`, `Disabled`, ...). */
async function mappingState(stack: LocalStack, topic: string): Promise<string | undefined> {
  const queueName = queueNameFromUrl(topicQueueUrl(stack, topic));
  return Object.values((await stack.activity()).mappings).find((m) => queueNameFromArn(m.eventSourceArn) === queueName)?.state;
}

/** The states a topic's breaker went through, in order (`CLOSED>OPEN>HALF_OPEN>CLOSED`). */
export function statePath(transitions: ReadonlyArray<{ topic: string; from: string; to: string; at: string }>, topic: string): string[] {
  const mine = transitions.filter((t) => t.topic === topic).sort((a, b) => a.at.localeCompare(b.at));
  const [first] = mine;
  return first ? [first.from, ...mine.map((t) => t.to)] : [];
}

/** True when `path` passes through OPEN, later HALF_OPEN, and ends CLOSED. */
export function reopenedThroughHalfOpen(path: readonly string[]): boolean {
  const open = path.indexOf('OPEN');
  const half = path.indexOf('HALF_OPEN', open + 1);
  return open >= 0 && half > open && path[path.length - 1] === 'CLOSED';
}

/**
 * 8. Every payments record fails processing: its error-rate alarm trips the payments breaker (mapping disabled)
 * while orders and clickstream keep flowing; once the poison records have gone to the DLQ and healthy payments
 * arrive, the breaker probes (HALF_OPEN) and closes.
 */
export const poisonTopic: ChaosScenario = {
  name: 'poison-topic',
  title: 'A poison topic trips its breaker; two healthy topics keep flowing',
  defaultSize: 600,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const ddb = new DynamoDBClient({ endpoint: stack.info.endpoints.dynamodb, region: stack.region, credentials: stack.info.credentials });
      try {
        const poison = await send(stack, {
          name: 'chaos-poison-topic',
          total: ctx.size,
          rate: 'unlimited',
          seed: 111,
          // a few poison records trip it; the healthy topics carry the volume
          topics: { orders: 3, payments: { weight: 1, mix: { processing_error: 100 } }, clickstream: 3 },
        });
        const poisonCount = poison.messages.filter((m) => m.topic === 'payments').length;
        await waitFor('the payments breaker OPEN', async () => ((await breakerState(ddb, stack, 'payments')) === 'OPEN' ? true : undefined), 90_000, 250);
        // While payments is stopped, healthy topics still drain.
        const healthy = await send(stack, { name: 'chaos-healthy-during-open', total: Math.ceil(ctx.size / 3), rate: 'unlimited', seed: 112, topics: { orders: 1, clickstream: 1 } });
        // The mapping is read before the breaker: the breaker writes its state first, then enables or disables the mapping.
        const whenDrained = await waitFor(
          'orders and clickstream drained while payments is OPEN',
          async () => {
            const depth = (await queueDepth(stack, topicQueueUrl(stack, 'orders'))) + (await queueDepth(stack, topicQueueUrl(stack, 'clickstream')));
            if (depth > 0) return undefined;
            const mapping = await mappingState(stack, 'payments');
            return { mapping, breaker: await breakerState(ddb, stack, 'payments') };
          },
          60_000,
          250,
        );
        // The fault is gone: healthy payments records arrive, a batch every few seconds, until the probe closes the
        // breaker (the probe judges received traffic; an idle topic stays HALF_OPEN).
        const recovered: Sent[] = [];
        const per = Math.max(20, Math.ceil(ctx.size / 10));
        const closed = await waitFor(
          'the payments breaker CLOSED',
          async () => {
            if ((await breakerState(ddb, stack, 'payments')) === 'CLOSED') return true;
            recovered.push(await send(stack, { name: `chaos-payments-healthy-${recovered.length + 1}`, total: per, rate: 'unlimited', seed: 113 + recovered.length, topics: { payments: 1 } }));
            return undefined;
          },
          180_000,
          TRICKLE_MS,
        ).catch((err: Error) => err.message);
        const all = mergeSends([poison, healthy, ...recovered]);
        const report = await settleAndReport(stack, all, 240_000);
        const want = expectedCounts(all.messages);
        const path = statePath(report.breaker.transitions, 'payments');
        const others = report.breaker.transitions.filter((t) => t.topic !== 'payments');
        return {
          report,
          checks: [
            { name: 'payments OPEN -> HALF_OPEN -> CLOSED', ok: reopenedThroughHalfOpen(path), detail: path.join('>') },
            {
              name: 'payments breaker ends CLOSED',
              ok: closed === true && report.breaker.states.payments === 'CLOSED',
              detail: `${report.breaker.states.payments} in the report${closed === true ? '' : `; ${closed}`}`,
            },
            { name: 'healthy topics never tripped', ok: others.length === 0, detail: others.map((t) => `${t.topic} ${t.to}`).join(', ') || undefined },
            {
              name: 'healthy topics flowed while payments was stopped',
              ok: whenDrained.breaker !== 'CLOSED' && (whenDrained.breaker !== 'OPEN' || whenDrained.mapping === 'Disabled'),
              detail: `orders and clickstream drained with payments ${whenDrained.breaker}, its mapping ${whenDrained.mapping ?? 'missing'}`,
            },
            {
              name: 'poison records archived, the rest in RAW',
              ok: report.balance.dlqArchived === want.dlq && report.balance.rawDistinct === want.raw,
              detail: `archived ${report.balance.dlqArchived}/${want.dlq}, RAW ${report.balance.rawDistinct}/${want.raw}`,
            },
          ],
          note: `${poisonCount} poison payments records; ${recovered.length} healthy payments batch(es) of ${per} sent until the breaker closed`,
        };
      } finally {
        ddb.destroy();
      }
    }),
};
