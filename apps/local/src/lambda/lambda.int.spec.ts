import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FaultRegistry } from '../faults/fault-registry';
import { startServer, type RunningServer } from '../server';
import { QueueStore } from '../sqs/queue-store';
import { SqsService } from '../sqs/sqs-service';
import { computeActivity } from './activity';
import { EventSourceMappings } from './esm';
import { LambdaRuntime, type FunctionDefinition } from './lambda-runtime';
import { LambdaService } from './lambda-service';
import assert from 'node:assert/strict';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

/** A handler bundle whose behaviour each message body chooses; every record is logged as one JSON line. */
const HANDLER = `
exports.handler = async (event, context) => {
  const out = (o) => console.log(JSON.stringify(o));
  const records = event.Records || [];
  out({ start: Date.now(), pid: process.pid, n: records.length, env: process.env.GREETING, remaining: context.getRemainingTimeInMillis(), fn: context.functionName });
  for (const r of records) out({ seen: r.messageId, body: r.body, count: r.attributes.ApproximateReceiveCount, source: r.eventSourceARN, dlqSource: r.attributes.DeadLetterQueueSourceArn });
  const bodies = records.map((r) => r.body);
  if (bodies.includes('sleep')) await new Promise((r) => setTimeout(r, 300));
  if (bodies.includes('hang')) await new Promise((r) => setTimeout(r, 60000));
  out({ end: Date.now(), pid: process.pid });
  if (bodies.includes('throw') || event.throw) throw new Error('boom');
  if (bodies.includes('invalid')) return { batchItemFailures: [{ itemIdentifier: '' }] };
  if (event.echo !== undefined) return { echo: event.echo, pid: process.pid, node: process.version, executionEnv: process.env.AWS_EXECUTION_ENV };
  return { batchItemFailures: records.filter((r) => r.body.startsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) };
};
`;

let dir: string;
let handlerFile: string;
let store: QueueStore;
let runtime: LambdaRuntime;
let esm: EventSourceMappings;
let faults: FaultRegistry;
let server: RunningServer;
let sqs: SQSClient;
let lambda: LambdaClient;
const lines: Array<{ fn: string; line: string }> = [];

const json = (fn: string) => lines.filter((l) => l.fn === fn && l.line.startsWith('{')).map((l) => JSON.parse(l.line) as Record<string, unknown>);

const def = (name: string, extra: Partial<FunctionDefinition> = {}): FunctionDefinition => ({
  name,
  handlerFile,
  env: { GREETING: `hello ${name}` },
  timeoutSeconds: 5,
  concurrency: 4,
  ...extra,
});

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function sendBodies(queue: string, bodies: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < bodies.length; k += 10) {
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: `${server.url}/000000000000/${queue}`,
        Entries: bodies.slice(k, k + 10).map((b, j) => ({ Id: `e${k + j}`, MessageBody: b })),
      }),
    );
    ids.push(...res.Successful!.map((s) => s.MessageId!));
  }
  return ids;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-int-'));
  handlerFile = path.join(dir, 'handler.js');
  fs.writeFileSync(handlerFile, HANDLER);
  faults = new FaultRegistry();
  store = new QueueStore({ region, faults });
  runtime = new LambdaRuntime({ region, onLog: (fn, line) => lines.push({ fn, line }) });
  esm = new EventSourceMappings({ store, runtime, faults, region });
  server = await startServer({ services: [new SqsService(store), new LambdaService(runtime, esm)] });
  sqs = new SQSClient({ region, endpoint: server.url, credentials });
  lambda = new LambdaClient({ region, endpoint: server.url, credentials });
});

afterAll(async () => {
  await esm.close();
  await runtime.close();
  sqs.destroy();
  lambda.destroy();
  await server.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runtime', () => {
  it('invokes in a warm worker with the function env and context, capturing stdout', async () => {
    runtime.register(def('fn-basic'));
    const a = await runtime.invoke('fn-basic', { echo: 1 });
    const b = await runtime.invoke(`arn:aws:lambda:${region}:000000000000:function:fn-basic`, { echo: 2 });
    expect(a).toMatchObject({ ok: true, payload: { echo: 1 } });
    expect(b).toMatchObject({ ok: true, payload: { echo: 2 } });
    expect((a as { payload: { pid: number } }).payload.pid).toBe((b as { payload: { pid: number } }).payload.pid);
    const starts = json('fn-basic').filter((l) => l.start);
    expect(starts[0]).toMatchObject({ env: 'hello fn-basic', fn: 'fn-basic' });
    expect(starts[0]?.remaining as number).toBeGreaterThan(4000);
    expect(runtime.stats()['fn-basic']).toMatchObject({ invocations: 2, errors: 0, coldStarts: 1 });
  });

  it('runs each function on the Node.js major its runtime names (nodejs22.x -> Node 22)', async () => {
    runtime.register(def('fn-node22', { runtime: 'nodejs22.x' }));
    const r = await runtime.invoke('fn-node22', { echo: 'version' });
    expect(r).toMatchObject({ ok: true, payload: { echo: 'version', node: expect.stringMatching(/^v22\./), executionEnv: 'AWS_Lambda_nodejs22.x' } });
    expect(() => runtime.register(def('fn-python', { runtime: 'python3.12' }))).toThrow(/fn-python: runtime "python3.12" is not supported/);
  });

  it('warms execution environments ahead of traffic, up to the concurrency, and invokes in them', async () => {
    runtime.register(def('fn-warm', { concurrency: 3 }));
    await runtime.warm('fn-warm', 5);
    expect(runtime.stats()['fn-warm']).toMatchObject({ workers: 3, coldStarts: 3, invocations: 0 });
    const results = await Promise.all([1, 2, 3].map((echo) => runtime.invoke('fn-warm', { echo })));
    expect(new Set(results.map((r) => (r as { payload: { pid: number } }).payload.pid)).size).toBe(3);
    expect(runtime.stats()['fn-warm']).toMatchObject({ workers: 3, coldStarts: 3, invocations: 3 });
  });

  it('reports handler errors, timeouts and crashes', async () => {
    runtime.register(def('fn-errors', { timeoutSeconds: 1 }));
    const err = await runtime.invoke('fn-errors', { throw: true });
    expect(err).toMatchObject({ ok: false, kind: 'Unhandled', errorType: 'Error', errorMessage: 'boom' });
    const t = await runtime.invoke('fn-errors', { Records: [{ body: 'hang', attributes: {} }] });
    expect(t).toMatchObject({ ok: false, kind: 'TimedOut', errorMessage: 'Task timed out after 1.00 seconds' });
    expect(lines.some((l) => l.fn === 'fn-errors' && l.line.includes('Task timed out after 1.00 seconds'))).toBe(true);
    const c = await runtime.invoke('fn-errors', { echo: 3 }, { crash: true });
    expect(c).toMatchObject({ ok: false, kind: 'Crashed', errorType: 'Runtime.ExitError' });
    expect(await runtime.invoke('fn-errors', { echo: 4 })).toMatchObject({ ok: true, payload: { echo: 4 } });
    expect(runtime.stats()['fn-errors']).toMatchObject({ invocations: 4, errors: 3, timeouts: 1, crashes: 1 });
  });
});

describe('event source mappings', () => {
  function mapped(name: string, queueAttrs: Record<string, string>, cfg: Partial<Parameters<EventSourceMappings['create']>[0]> = {}, fn: Partial<FunctionDefinition> = {}) {
    store.createQueue(`${name}-dlq`);
    store.createQueue(name, { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: store.arnOf(`${name}-dlq`), maxReceiveCount: 2 }), ...queueAttrs });
    runtime.register(def(`fn-${name}`, fn));
    return esm.create({
      functionName: `fn-${name}`,
      eventSourceArn: store.arnOf(name),
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      functionResponseTypes: ['ReportBatchItemFailures'],
      enabled: true,
      ...cfg,
    });
  }

  it('delivers the AWS SQS event, deletes successes and leaves reported failures to retry and redrive', async () => {
    // AWS asks for a visibility timeout above the batching window plus the function time; 3 s covers both here
    const m = mapped('partial', { VisibilityTimeout: '3' }, { batchSize: 20, maximumBatchingWindowInSeconds: 1 });
    const ids = await sendBodies('partial', ['ok-1', 'fail-1', 'ok-2', 'fail-2', 'ok-3']);
    await until(() => store.counts('partial-dlq').visible === 2 && store.counts('partial').visible + store.counts('partial').inFlight === 0);
    const seen = json('fn-partial').filter((l) => l.seen);
    for (const body of ['ok-1', 'ok-2', 'ok-3']) expect(seen.filter((l) => l.body === body)).toHaveLength(1);
    for (const body of ['fail-1', 'fail-2']) expect(seen.filter((l) => l.body === body).map((l) => l.count)).toEqual(['1', '2']);
    expect(seen[0]?.source).toBe(store.arnOf('partial'));
    // the batching window gathered all five messages into one first batch
    expect(json('fn-partial').find((l) => l.start)!.n).toBe(5);
    const dlq = store.receiveNow('partial-dlq', { max: 10 });
    expect(dlq.map((d) => d.messageId).sort()).toEqual([ids[1], ids[3]].sort());
    expect(dlq[0]?.attributes.DeadLetterQueueSourceArn).toBe(store.arnOf('partial'));
    expect(esm.get(m.uuid)!.stats).toMatchObject({ itemFailures: 4, deleted: 3 });
  });

  it('fails the whole batch on an invalid partial batch response', async () => {
    const m = mapped('invalid', { VisibilityTimeout: '30' });
    await sendBodies('invalid', ['invalid', 'ok-a', 'ok-b']);
    await until(() => esm.get(m.uuid)!.stats.failedBatches === 1 && esm.idle());
    expect(store.counts('invalid')).toEqual({ visible: 0, inFlight: 3, delayed: 0 });
    expect(esm.get(m.uuid)!.stats.deleted).toBe(0);
  });

  it('deletes nothing after a timeout; the message comes back, times out again and ends in the DLQ', async () => {
    const m = mapped('timeout', { VisibilityTimeout: '2' }, {}, { timeoutSeconds: 1 });
    await sendBodies('timeout', ['hang']);
    await until(() => runtime.stats()['fn-timeout']?.timeouts === 1);
    expect(esm.get(m.uuid)!.stats.deleted).toBe(0);
    expect(store.counts('timeout').inFlight).toBe(1);
    // second delivery times out as well, then the message goes to the DLQ after maxReceiveCount 2
    await until(() => store.counts('timeout-dlq').visible === 1);
  });

  it('crashes exactly the first invocation that sees lambda_crash_once; the batch is retried and delivered', async () => {
    const m = mapped('crash', {});
    await sendBodies('crash', ['ok-x', JSON.stringify({ message_id: 'p-crash', _fault: 'lambda_crash_once', json_payload: {} }), 'ok-y']);
    await until(() => store.counts('crash').visible + store.counts('crash').inFlight === 0 && esm.idle());
    expect(runtime.stats()['fn-crash']).toMatchObject({ crashes: 1 });
    expect(esm.get(m.uuid)!.stats).toMatchObject({ failedBatches: 1, deleted: 3 });
    expect(store.counts('crash-dlq').visible).toBe(0);
  });

  it('stops polling when disabled through UpdateEventSourceMapping and resumes when enabled', async () => {
    const m = mapped('toggle', {});
    const arn = `arn:aws:lambda:${region}:000000000000:function:fn-toggle`;
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: arn }));
    expect(listed.EventSourceMappings!.map((e) => e.UUID)).toEqual([m.uuid]);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'fn-toggle', EventSourceArn: store.arnOf('toggle') }))).EventSourceMappings).toHaveLength(1);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: 'arn:aws:sqs:eu-west-1:000000000000:none' }))).EventSourceMappings).toHaveLength(0);

    const off = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.uuid, Enabled: false }));
    expect(off.State).toBe('Disabled');
    await new Promise((r) => setTimeout(r, 100));
    await sendBodies('toggle', ['ok-1', 'ok-2']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(store.counts('toggle')).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    expect(json('fn-toggle')).toHaveLength(0);
    const activity = computeActivity(store, esm, runtime);
    expect(activity.queues.toggle).toMatchObject({ visible: 2, inFlight: 0 });
    expect(activity.mappings[m.uuid]).toMatchObject({ state: 'Disabled', inFlight: 0, functionName: 'fn-toggle' });
    expect(activity.idle).toBe(false);

    const on = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.uuid, Enabled: true, ScalingConfig: { MaximumConcurrency: 3 }, BatchSize: 5 }));
    expect(on).toMatchObject({ State: 'Enabled', BatchSize: 5, ScalingConfig: { MaximumConcurrency: 3 }, FunctionArn: arn, EventSourceArn: store.arnOf('toggle') });
    expect(on.LastModified).toBeInstanceOf(Date);
    expect(Math.abs(on.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);
    await until(() => store.counts('toggle').visible + store.counts('toggle').inFlight === 0);
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: m.uuid }));
    expect(got).toMatchObject({ UUID: m.uuid, State: 'Enabled', FunctionResponseTypes: ['ReportBatchItemFailures'] });
    await expect(lambda.send(new GetEventSourceMappingCommand({ UUID: 'no-such-uuid' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps a batch of 1 MiB messages under the 6 MB invocation payload', async () => {
    mapped('big', { VisibilityTimeout: '30' }, { batchSize: 10, maximumBatchingWindowInSeconds: 2 });
    const mib = 'x'.repeat(1024 * 1024);
    for (let k = 0; k < 8; k++) await sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/big`, MessageBody: mib }));
    await until(() => store.counts('big').visible + store.counts('big').inFlight === 0);
    const sizes = json('fn-big')
      .filter((l) => l.start)
      .map((l) => l.n as number);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(
      json('fn-big')
        .filter((l) => l.seen)
        .every((l) => (l.body as string).length === mib.length && l.count === '1'),
    ).toBe(true);
  });

  it('keeps at most maximumConcurrency invocations in flight', async () => {
    mapped('conc', { VisibilityTimeout: '30' }, { batchSize: 1, maximumConcurrency: 2 }, { concurrency: 6 });
    await sendBodies(
      'conc',
      Array.from({ length: 8 }, () => 'sleep'),
    );
    await until(() => store.counts('conc').visible + store.counts('conc').inFlight === 0);
    const events = json('fn-conc')
      .flatMap((l) => (l.start ? [{ t: l.start as number, d: 1 }] : l.end ? [{ t: l.end as number, d: -1 }] : []))
      .sort((a, b) => a.t - b.t || a.d - b.d);
    let running = 0;
    let peak = 0;
    for (const e of events) peak = Math.max(peak, (running += e.d));
    expect(peak).toBe(2);
  });
});

describe('CreateEventSourceMapping API', () => {
  it('creates a mapping that polls, and refuses a batch size over 10 without a batching window', async () => {
    store.createQueue('created');
    runtime.register(def('fn-created'));
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'fn-created',
        EventSourceArn: store.arnOf('created'),
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    expect(created).toMatchObject({ State: 'Enabled', BatchSize: 5, EventSourceArn: store.arnOf('created') });
    await sendBodies('created', ['ok-1']);
    await until(() => store.counts('created').visible + store.counts('created').inFlight === 0);
    await expect(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn-created', EventSourceArn: store.arnOf('created'), BatchSize: 100 }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });
});

describe('Invoke API', () => {
  it('answers RequestResponse with the payload or the function error, and Event with 202', async () => {
    runtime.register(def('fn-api'));
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'fn-api', Payload: Buffer.from(JSON.stringify({ echo: 'x' })) }));
    expect(ok.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(ok.Payload!).toString())).toMatchObject({ echo: 'x' });
    const bad = await lambda.send(new InvokeCommand({ FunctionName: 'fn-api', Payload: Buffer.from(JSON.stringify({ throw: true })) }));
    expect(bad.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(bad.Payload!).toString())).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
    const before = runtime.stats()['fn-api']?.invocations;
    assert(before !== undefined);
    const ev = await lambda.send(new InvokeCommand({ FunctionName: 'fn-api', InvocationType: 'Event', Payload: Buffer.from('{"echo":1}') }));
    expect(ev.StatusCode).toBe(202);
    await until(() => runtime.stats()['fn-api']?.invocations === before + 1 && runtime.idle());
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
