import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCKS, breakerLockId, queueNameFromArn } from '@lean-ops/contracts';
import { parseScenario, type GeneratedMessage, type Scenario } from '@lean-ops/injector';
import { readRows } from '@lean-ops/iceberg';
import type { Report } from '../src/report/report-types';
import type { LocalStack } from '../src/stack/local-stack';
import { injectInto, removeDir, scenario, startTestStack, waitFor } from './e2e-support';

const POISON = 'payments';
const HEALTHY = ['orders', 'clickstream'];

const healthy = (name: string, topics: string[], total: number, seed: number): Scenario =>
  parseScenario({ name, total, rate: 'unlimited', seed, topics: Object.fromEntries(topics.map((t) => [t, 1])) }, `${name}.json`);

describe('poison topic: the breaker opens, probes and closes while healthy topics flow', () => {
  let stack: LocalStack;
  let logs: string[];
  let ddb: DynamoDBClient;
  const messages: GeneratedMessage[] = [];
  let report: Report;
  let healthyRowsWhileOpen = 0;
  let mappingStillDisabled = false;

  const mappingState = async (topic: string) => {
    const a = await stack.activity();
    const queueName = new URL(stack.queueUrls[topic]).pathname.split('/').pop();
    return Object.values(a.mappings).find((m) => queueNameFromArn(m.eventSourceArn) === queueName)?.state;
  };
  const depth = async (url: string) => {
    const q = (await stack.activity()).queues[new URL(url).pathname.split('/').pop()!];
    return q ? q.visible + q.inFlight + q.delayed : 0;
  };
  const breakerState = async (topic: string) => {
    const r = await ddb.send(new GetItemCommand({ TableName: stack.tables.locks, Key: { [LOCKS.partitionKey]: { S: breakerLockId(topic) } }, ConsistentRead: true }));
    return r.Item?.[LOCKS.attributes.state]?.S ?? 'CLOSED';
  };

  beforeAll(async () => {
    ({ stack, logs } = await startTestStack());
    ddb = new DynamoDBClient({ region: stack.region, endpoint: stack.info.endpoints.dynamodb, credentials: stack.info.credentials });

    // 1. Every payments record fails: its error-rate alarm trips the payments breaker.
    const poison = await injectInto(stack, await scenario('poison_topic.json', { total: 150, rate: 'unlimited' }));
    messages.push(...poison.messages);
    await waitFor('the payments mapping to be disabled (breaker OPEN)', async () => (await mappingState(POISON)) === 'Disabled', 60_000, 100);

    // 2. While it is OPEN, the healthy topics keep flowing into the table.
    const flow = await injectInto(stack, healthy('while_open', HEALTHY, 200, 7));
    messages.push(...flow.messages);
    const ids = new Set(flow.messages.map((m) => m.messageId));
    healthyRowsWhileOpen = await waitFor(
      'healthy rows in the table',
      async () => {
        const n = (await readRows(stack.warehouse)).filter((r) => ids.has(String(r.message_id))).length;
        return n === ids.size ? n : undefined;
      },
      30_000,
    );
    mappingStillDisabled = (await mappingState(POISON)) === 'Disabled';

    // 3. The poison ends in the DLQ archive (each record received maxReceiveCount times, across probes).
    await waitFor('the poison records to leave the payments queue and the DLQ', async () => (await depth(stack.queueUrls[POISON])) + (await depth(stack.dlqUrl)) === 0, 150_000, 500);

    // 4. The fault is gone: payments traffic is healthy again and the probe closes the breaker.
    let seed = 100;
    await waitFor(
      'the payments breaker to close',
      async () => {
        if ((await breakerState(POISON)) === 'CLOSED') return true;
        const trickle = await injectInto(stack, healthy(`recovered${seed}`, [POISON], 20, seed++));
        messages.push(...trickle.messages);
        return undefined;
      },
      90_000,
      1000,
    );
    await stack.waitForSettled({ timeoutMs: 60_000 });
    report = await stack.report({ messages });
  });

  afterAll(async () => {
    ddb?.destroy();
    await stack?.stop();
    if (stack) await removeDir(stack.dataDir);
  });

  it('opens, half-opens and closes the poison topic breaker, in that order', () => {
    const seen = report.breaker.transitions.filter((t) => t.topic === POISON).map((t) => `${t.from}->${t.to}`);
    const firstOpen = seen.indexOf('CLOSED->OPEN');
    const halfOpen = seen.indexOf('OPEN->HALF_OPEN', firstOpen);
    const closed = seen.indexOf('HALF_OPEN->CLOSED', halfOpen);
    expect({ seen, firstOpen, ok: firstOpen >= 0 && halfOpen > firstOpen && closed > halfOpen }).toEqual({ seen, firstOpen, ok: true });
    expect(report.breaker.states[POISON]).toBe('CLOSED');
    expect(logs.some((l) => l.includes('BREAKER_TRANSITION') && l.includes('"to":"OPEN"'))).toBe(true);
  });

  it('keeps the healthy topics flowing while the poison topic is OPEN', () => {
    expect(healthyRowsWhileOpen).toBe(200);
    expect(mappingStillDisabled).toBe(true);
    for (const t of HEALTHY) expect(report.breaker.transitions.filter((x) => x.topic === t && x.to === 'OPEN')).toEqual([]);
  });

  it('archives every poison record after its retries and loses nothing', () => {
    const poisoned = messages.filter((m) => m.kind === 'processing_error');
    expect(poisoned.length).toBe(50);
    expect(report.verification.find((r) => r.scenario === 'Processing Error')).toMatchObject({ status: 'pass', actual: 50 });
    expect(report.misplaced.count).toBe(0);
    expect(report.balance.lost).toBe(0);
    expect(report.balance.holds).toBe(true);
    expect(report.balance.dlqArchived).toBe(50);
  });
});
