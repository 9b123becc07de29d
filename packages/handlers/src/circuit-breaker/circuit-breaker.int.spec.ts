import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { LIMITS, LOCKS, breakerLockId, handlerEnv, minuteWindow } from '@lean-ops/contracts';
import { startFakeLambda, startFakeSns, type FakeLambda, type FakeSns } from '../../test/fake-lambda-sns';
import { createTables, startDynalite, useTestCredentials, type Running } from '../../test/local-servers';
import { TABLES, envValues, topicConfig } from '../../test/topics';
import { addCheckpointCounts } from '../lib/checkpoints';
import { setLogSink } from '../lib/logger';
import { breakerConfig } from './config';
import { handler } from './index';
import { runBreaker, type BreakerDeps } from './run-breaker';

const orders = topicConfig('orders', [], 5);
const payments = topicConfig('payments', [], 7);
const clicks = topicConfig('clicks', [], 9);
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:lo-test-sqs-processor';
const COOLDOWN_MS = 300_000;

const alarm = (name: string, state: 'ALARM' | 'OK') => ({
  Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify({ AlarmName: name, NewStateValue: state, OldStateValue: state === 'OK' ? 'ALARM' : 'OK' }) } }],
});
const tick = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

let ddb: Running;
let lambda: FakeLambda;
let sns: FakeSns;
let ddbClient: DynamoDBClient;
const lines: string[] = [];

const stateOf = async (topic: string) => {
  const r = await ddbClient.send(new GetItemCommand({ TableName: TABLES.locks, Key: { [LOCKS.partitionKey]: { S: breakerLockId(topic) } }, ConsistentRead: true }));
  return r.Item ? { state: r.Item[LOCKS.attributes.state]?.S, version: Number(r.Item[LOCKS.attributes.version]?.N) } : undefined;
};

const mapping = (topic: string) => lambda.mappings.find((m) => m.EventSourceArn === topicConfig(topic).queueArn)!;

function deps(now: number, dynamodb: DynamoDBClient = ddbClient): BreakerDeps {
  return {
    config: breakerConfig(handlerEnv('circuit-breaker', envValues([orders, payments, clicks]))),
    dynamodb,
    lambda: new LambdaClient({ endpoint: lambda.url }),
    sns: new SNSClient({ endpoint: sns.url }),
    now: () => new Date(now),
  };
}

beforeAll(async () => {
  useTestCredentials();
  ddb = await startDynalite();
  await createTables(ddb.url, TABLES);
  const m = (t: typeof orders, i: number) => ({
    UUID: `uuid-${i}`,
    EventSourceArn: t.queueArn,
    FunctionArn: FN,
    State: 'Enabled' as const,
    ScalingConfig: { MaximumConcurrency: t.maximumConcurrency },
  });
  [lambda, sns] = await Promise.all([startFakeLambda([m(orders, 1), m(payments, 2), m(clicks, 3)]), startFakeSns()]);
  ddbClient = new DynamoDBClient({ endpoint: ddb.url });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.url;
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
  process.env.AWS_ENDPOINT_URL_SNS = sns.url;
  Object.assign(process.env, handlerEnv('circuit-breaker', envValues([orders, payments, clicks])));
  setLogSink((l) => lines.push(l));
});

afterAll(async () => {
  ddbClient.destroy();
  await Promise.all([ddb.close(), lambda.close(), sns.close()]);
});

describe('circuit breaker against dynalite and a Lambda stand-in', () => {
  it('walks CLOSED -> OPEN -> HALF_OPEN -> OPEN -> HALF_OPEN -> CLOSED for the poisoned topic only', async () => {
    // Alarm notification through the real handler (real clients via AWS_ENDPOINT_URL_*).
    const r1 = await handler(alarm(orders.errorRateAlarm, 'ALARM'));
    expect(r1).toEqual([expect.objectContaining({ topic: 'orders', transition: expect.objectContaining({ from: 'CLOSED', to: 'OPEN' }) })]);
    expect(mapping('orders').State).toBe('Disabled');
    expect(sns.published).toHaveLength(1);
    expect(JSON.parse(sns.published[0]?.Message ?? 'null')).toMatchObject({ type: 'BreakerTransition', topic: 'orders', from: 'CLOSED', to: 'OPEN' });
    expect(lines.some((l) => l.includes('"BreakerTransition":1') && l.includes('"Topic":"orders"'))).toBe(true);

    // Its own SNS message coming back, unknown alarms and INSUFFICIENT_DATA change nothing.
    await handler({ Records: [{ Sns: { Message: sns.published[0]?.Message } }] });
    await handler(alarm('some-other-alarm', 'ALARM'));
    expect(lambda.updates).toHaveLength(1);

    const openedAt = Date.now();
    // Before the cool-down: nothing.
    expect((await runBreaker(tick, deps(openedAt + COOLDOWN_MS - 1000))).every((r) => !r.transition)).toBe(true);
    // After: HALF_OPEN at the lowest concurrency.
    const halfAt = openedAt + COOLDOWN_MS + 1000;
    const r2 = await runBreaker(tick, deps(halfAt));
    expect(r2.filter((r) => r.transition).map((r) => [r.topic, r.transition!.to])).toEqual([['orders', 'HALF_OPEN']]);
    expect(mapping('orders')).toMatchObject({ State: 'Enabled', ScalingConfig: { MaximumConcurrency: LIMITS.esmMinMaximumConcurrency } });

    // Retries of records that failed before it opened fail again (20 of 20 receives): not the probe's business.
    const probeWindow = minuteWindow(new Date(halfAt + 30_000));
    await addCheckpointCounts(ddbClient, TABLES.checkpoints, 'orders', probeWindow, { received: 20, retried: 20, firstReceived: 0, firstFailed: 0 }, new Date(), 14);
    expect((await runBreaker(tick, deps(halfAt + 45_000))).every((r) => !r.transition)).toBe(true);
    // New records still fail (12 of 20 first receives): back to OPEN, without waiting for a new alarm notification.
    await addCheckpointCounts(ddbClient, TABLES.checkpoints, 'orders', probeWindow, { received: 20, delivered: 8, dropped: 0, retried: 12, firstReceived: 20, firstFailed: 12 }, new Date(), 14);
    const r3 = await runBreaker(tick, deps(halfAt + 60_000));
    expect(r3.find((r) => r.topic === 'orders')?.transition?.to).toBe('OPEN');
    expect(mapping('orders').State).toBe('Disabled');

    // Next probe is healthy for the probe period: CLOSED, concurrency restored.
    const half2 = halfAt + 60_000 + COOLDOWN_MS + 1000;
    await runBreaker(tick, deps(half2));
    expect((await stateOf('orders'))?.state).toBe('HALF_OPEN');
    await addCheckpointCounts(
      ddbClient,
      TABLES.checkpoints,
      'orders',
      minuteWindow(new Date(half2 + 60_000)),
      { received: 50, delivered: 50, dropped: 0, retried: 0, firstReceived: 50, firstFailed: 0 },
      new Date(),
      14,
    );
    expect((await runBreaker(tick, deps(half2 + 120_000))).every((r) => !r.transition)).toBe(true);
    const r4 = await runBreaker(tick, deps(half2 + COOLDOWN_MS));
    expect(r4.find((r) => r.topic === 'orders')?.transition?.to).toBe('CLOSED');
    expect(mapping('orders')).toMatchObject({ State: 'Enabled', ScalingConfig: { MaximumConcurrency: 5 } });

    // Healthy topics were never touched: no updates, no lock items.
    expect(lambda.updates.every((u) => u.UUID === 'uuid-1')).toBe(true);
    expect(await stateOf('payments')).toBeUndefined();
    expect(await stateOf('clicks')).toBeUndefined();
    expect(sns.published.map((p) => JSON.parse(p.Message).to)).toEqual(['OPEN', 'HALF_OPEN', 'OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('closes from HALF_OPEN on an OK notification and reopens on ALARM', async () => {
    const t0 = Date.now();
    await runBreaker(alarm(payments.errorRateAlarm, 'ALARM'), deps(t0));
    await runBreaker(tick, deps(t0 + COOLDOWN_MS));
    expect((await stateOf('payments'))?.state).toBe('HALF_OPEN');
    await runBreaker(alarm(payments.errorRateAlarm, 'ALARM'), deps(t0 + COOLDOWN_MS + 10));
    expect((await stateOf('payments'))?.state).toBe('OPEN');
    await runBreaker(tick, deps(t0 + 2 * COOLDOWN_MS + 20));
    await runBreaker(alarm(payments.errorRateAlarm, 'OK'), deps(t0 + 2 * COOLDOWN_MS + 30));
    expect((await stateOf('payments'))?.state).toBe('CLOSED');
    expect(mapping('payments')).toMatchObject({ State: 'Enabled', ScalingConfig: { MaximumConcurrency: 7 } });
  });

  it('lets only one of several concurrent invocations act on the same alarm', async () => {
    // Hold every GetItem until all invocations have read the state, so they all race on the write.
    const N = 4;
    let reads = 0;
    let release!: () => void;
    const allRead = new Promise<void>((r) => (release = r));
    const racing = new DynamoDBClient({ endpoint: ddb.url });
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'GetItemCommand') {
          if (++reads === N) release();
          await allRead;
        }
        return out;
      },
      { step: 'initialize', name: 'holdReads' },
    );
    const before = lambda.updates.length;
    const results = await Promise.all(Array.from({ length: N }, () => runBreaker(alarm(clicks.errorRateAlarm, 'ALARM'), deps(Date.now(), racing))));
    const flat = results.flat();
    expect(flat.filter((r) => r.transition)).toHaveLength(1);
    expect(flat.filter((r) => r.lostRace)).toHaveLength(N - 1);
    expect(lambda.updates.slice(before)).toEqual([{ UUID: 'uuid-3', Enabled: false }]);
    expect(await stateOf('clicks')).toEqual({ state: 'OPEN', version: 1 });
    racing.destroy();
  });
});
