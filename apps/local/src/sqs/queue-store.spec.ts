import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIMITS } from '@lean-ops/contracts';
import { FaultRegistry } from '../faults/fault-registry';
import { QueueStore } from './queue-store';
import { SqsError } from './sqs-errors';
import { md5OfMessageAttributes } from './message-md5';
import assert from 'node:assert/strict';

const region = 'eu-west-1';

function clockedStore(dataDir?: string, faults?: FaultRegistry) {
  let now = Date.UTC(2026, 10, 26, 8, 0, 0);
  const store = new QueueStore({ region, dataDir, faults, clock: () => now });
  return { store, advance: (ms: number) => (now += ms), now: () => now };
}

const take = (store: QueueStore, q: string, max = 10, visibilityTimeout?: number) => store.receiveNow(q, { max, visibilityTimeout });

describe('visibility and receive counts', () => {
  it('hides a received message for the visibility timeout, then delivers it again with a higher count', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q', { VisibilityTimeout: '30' });
    const { messageId } = store.send('q', { body: 'hello' });
    const first = take(store, 'q');
    expect(first).toHaveLength(1);
    expect(first[0]?.attributes.ApproximateReceiveCount).toBe('1');
    expect(store.counts('q')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    advance(29_999);
    expect(take(store, 'q')).toHaveLength(0);
    advance(1);
    const second = take(store, 'q');
    expect(second[0]?.messageId).toBe(messageId);
    expect(second[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(second[0]?.attributes.ApproximateFirstReceiveTimestamp).toBe(first[0]?.attributes.ApproximateFirstReceiveTimestamp);
    expect(second[0]?.receiptHandle).not.toBe(first[0]?.receiptHandle);
  });

  it('honours a per-receive visibility timeout and ChangeMessageVisibility', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q', { VisibilityTimeout: '300' });
    store.send('q', { body: 'a' });
    const [m] = take(store, 'q', 1, 5);
    assert(m);
    advance(5000);
    const [again] = take(store, 'q');
    assert(again);
    expect(again.messageId).toBe(m.messageId);
    store.changeVisibility('q', again.receiptHandle, 60);
    advance(59_000);
    expect(take(store, 'q')).toHaveLength(0);
    store.changeVisibility('q', again.receiptHandle, 0);
    expect(take(store, 'q')).toHaveLength(1);
  });

  it('deletes only with the latest receipt handle; an outdated one succeeds without deleting', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q', { VisibilityTimeout: '1' });
    store.send('q', { body: 'a' });
    const [first] = take(store, 'q');
    assert(first);
    advance(1000);
    const [second] = take(store, 'q');
    assert(second);
    store.deleteMessage('q', first.receiptHandle);
    expect(store.counts('q').inFlight).toBe(1);
    store.deleteMessage('q', second.receiptHandle);
    expect(store.idle()).toBe(true);
    expect(() => store.deleteMessage('q', 'not-a-handle')).toThrow(SqsError);
  });

  it('still deletes with the latest handle after the visibility timeout ran out, if nobody received it again', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q', { VisibilityTimeout: '1' });
    store.send('q', { body: 'a' });
    const [m] = take(store, 'q');
    assert(m);
    advance(5000);
    expect(store.counts('q').visible).toBe(1);
    store.deleteMessage('q', m.receiptHandle);
    expect(store.idle()).toBe(true);
  });

  it('delays messages by DelaySeconds', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q');
    store.send('q', { body: 'later', delaySeconds: 10 });
    expect(store.counts('q')).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(take(store, 'q')).toHaveLength(0);
    advance(10_000);
    expect(take(store, 'q')).toHaveLength(1);
  });
});

describe('redrive to the dead-letter queue', () => {
  function withDlq(maxReceiveCount: number) {
    const c = clockedStore();
    c.store.createQueue('dlq', { MessageRetentionPeriod: '1209600' });
    c.store.createQueue('src', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: c.store.arnOf('dlq'), maxReceiveCount }),
    });
    return c;
  }

  it('delivers exactly maxReceiveCount times, then moves the message with its id, body, attributes and SentTimestamp', () => {
    const { store, advance } = withDlq(3);
    const attrs = { kind: { DataType: 'String', StringValue: 'x' } };
    const { messageId } = store.send('src', { body: '{"a":1}', messageAttributes: attrs });
    const sent = take(store, 'src')[0]?.attributes.SentTimestamp;
    advance(1);
    expect(take(store, 'src')[0]?.attributes.ApproximateReceiveCount).toBe('2');
    advance(1);
    expect(take(store, 'src')[0]?.attributes.ApproximateReceiveCount).toBe('3');
    advance(1);
    expect(take(store, 'src')).toHaveLength(0);
    expect(store.counts('src')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [d] = take(store, 'dlq');
    assert(d);
    expect(d.messageId).toBe(messageId);
    expect(d.body).toBe('{"a":1}');
    expect(d.messageAttributes).toEqual(attrs);
    expect(d.md5OfMessageAttributes).toBe(md5OfMessageAttributes(attrs));
    expect(d.attributes.SentTimestamp).toBe(sent);
    expect(d.attributes.DeadLetterQueueSourceArn).toBe(store.arnOf('src'));
  });

  it('keeps the original enqueue time for retention but restarts the DLQ age from the move', () => {
    const { store, advance } = withDlq(1);
    store.setAttributes('src', { MessageRetentionPeriod: '3600' });
    store.setAttributes('dlq', { MessageRetentionPeriod: '7200' });
    store.send('src', { body: 'x' });
    take(store, 'src');
    advance(3000_000);
    take(store, 'src'); // moves it
    expect(store.counts('dlq').visible).toBe(1);
    expect(store.approximateAgeOfOldestMessage('dlq')).toBe(0);
    advance(60_000);
    expect(store.approximateAgeOfOldestMessage('dlq')).toBe(60);
    // 7,200 s after the original send it expires from the DLQ, not 7,200 s after the move
    advance(7200_000 - 3060_000);
    expect(store.counts('dlq').visible).toBe(0);
  });

  it('refuses a redrive policy the DLQ does not allow', () => {
    const { store } = clockedStore();
    store.createQueue('dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [`arn:aws:sqs:${region}:000000000000:allowed`] }) });
    const policy = JSON.stringify({ deadLetterTargetArn: store.arnOf('dlq'), maxReceiveCount: 3 });
    expect(() => store.createQueue('denied', { RedrivePolicy: policy })).toThrow(/RedriveAllowPolicy/);
    expect(() => store.createQueue('allowed', { RedrivePolicy: policy })).not.toThrow();
    expect(() => store.createQueue('x', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:000000000000:none', maxReceiveCount: 3 }) })).toThrow(/does not exist/);
  });

  it('moves DLQ messages back to their source queue with a fresh receive count', () => {
    const { store, advance } = withDlq(1);
    const { messageId } = store.send('src', { body: 'x' });
    take(store, 'src');
    advance(1);
    take(store, 'src');
    const task = store.startMessageMoveTask(store.arnOf('dlq'));
    expect(task).toMatchObject({ status: 'COMPLETED', approximateNumberOfMessagesMoved: 1 });
    const [back] = take(store, 'src');
    assert(back);
    expect(back.messageId).toBe(messageId);
    expect(back.attributes.ApproximateReceiveCount).toBe('1');
    expect(back.attributes.DeadLetterQueueSourceArn).toBeUndefined();
  });
});

describe('limits and retention', () => {
  it('accepts a message of exactly the size limit and refuses one byte more', () => {
    const { store } = clockedStore();
    store.createQueue('q');
    expect(() => store.send('q', { body: 'x'.repeat(LIMITS.sqsMaxMessageBytes) })).not.toThrow();
    expect(() => store.send('q', { body: 'x'.repeat(LIMITS.sqsMaxMessageBytes + 1) })).toThrow(/shorter than 1048576 bytes/);
    // multi-byte characters count in UTF-8 bytes
    expect(() => store.send('q', { body: 'é'.repeat(LIMITS.sqsMaxMessageBytes / 2 + 1) })).toThrow(SqsError);
  });

  it('reports each entry of a batch on its own', () => {
    const { store } = clockedStore();
    store.createQueue('q');
    const res = store.sendBatch('q', [{ body: 'ok' }, { body: '' }, { body: 'bad\u0000' }]);
    expect(res[0]).toHaveProperty('messageId');
    expect(res[1]).toBeInstanceOf(SqsError);
    expect((res[2] as SqsError).type).toBe('InvalidMessageContents');
    expect(store.counts('q').visible).toBe(1);
  });

  it('deletes messages older than the retention period', () => {
    const { store, advance } = clockedStore();
    store.createQueue('q', { MessageRetentionPeriod: '60' });
    store.send('q', { body: 'old' });
    advance(30_000);
    store.send('q', { body: 'new' });
    advance(30_000);
    const got = take(store, 'q');
    expect(got.map((m) => m.body)).toEqual(['new']);
  });

  it('validates queue attributes', () => {
    const { store } = clockedStore();
    expect(() => store.createQueue('q', { VisibilityTimeout: '43201' })).toThrow(/VisibilityTimeout/);
    expect(() => store.createQueue('q', { MessageRetentionPeriod: '59' })).toThrow(/MessageRetentionPeriod/);
    expect(() => store.createQueue('q', { Bogus: '1' })).toThrow(/Unknown Attribute/);
    expect(() => store.createQueue('bad name')).toThrow(SqsError);
  });
});

describe('journal', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-journal-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays after a crash: queued and in-flight messages survive, deleted ones stay deleted, counts are kept', () => {
    const a = clockedStore(dir);
    a.store.createQueue('dlq');
    a.store.createQueue('q', { VisibilityTimeout: '300', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: a.store.arnOf('dlq'), maxReceiveCount: 2 }) });
    const ids = a.store.sendBatch('q', [{ body: 'one' }, { body: 'two' }, { body: 'three' }]).map((r) => (r as { messageId: string }).messageId);
    const got = take(a.store, 'q', 2);
    a.store.deleteMessage('q', got.find((m) => m.body === 'one')!.receiptHandle);
    // no close(): the process dies here; a torn record at the end was never acknowledged
    fs.appendFileSync(path.join(dir, 'sqs', 'q.jsonl'), '{"o":"s","m":{"i":"torn');

    const b = clockedStore(dir);
    expect(b.store.getAttributes('q').VisibilityTimeout).toBe('300');
    expect(b.store.counts('q')).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
    const again = take(b.store, 'q');
    expect(again.map((m) => m.messageId).sort()).toEqual([ids[1], ids[2]].sort());
    const two = again.find((m) => m.body === 'two')!;
    expect(two.attributes.ApproximateReceiveCount).toBe('2');
    expect(again.find((m) => m.body === 'three')!.attributes.ApproximateReceiveCount).toBe('1');
    b.store.close();
  });

  it('restores a data dir whose journal was written in the short-key line format', () => {
    const arn = (n: string) => `arn:aws:sqs:${region}:000000000000:${n}`;
    const t0 = Date.UTC(2026, 10, 26, 7, 0, 0);
    const lines = [
      { o: 'q', attrs: { VisibilityTimeout: '60' }, created: 1_000, modified: 2_000 },
      { o: 's', m: { i: 'kept', b: 'one', t: t0, s: 'S1', e: t0 + 1, c: 1, f: t0 + 2, q: arn('src'), y: { AWSTraceHeader: 'Root=1-a' } } },
      { o: 's', m: { i: 'gone', b: 'two', t: t0, s: 'S1', e: t0, c: 0 } },
      { o: 'r', i: 'kept', c: 2, f: t0 + 2 },
      { o: 'd', i: 'gone' },
    ];
    fs.mkdirSync(path.join(dir, 'sqs'));
    fs.writeFileSync(path.join(dir, 'sqs', 'old.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

    const { store } = clockedStore(dir);
    expect(store.approximateAgeOfOldestMessage('old')).toBe(3599); // enqueued at t0 + 1 ms
    expect(store.getAttributes('old')).toMatchObject({ VisibilityTimeout: '60', CreatedTimestamp: '1', LastModifiedTimestamp: '2' });
    expect(store.tags('old')).toEqual({});
    const [m, ...rest] = take(store, 'old');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ messageId: 'kept', body: 'one' });
    expect(m?.attributes).toEqual({
      SenderId: 'S1',
      SentTimestamp: String(t0),
      ApproximateReceiveCount: '3',
      ApproximateFirstReceiveTimestamp: String(t0 + 2),
      DeadLetterQueueSourceArn: arn('src'),
      AWSTraceHeader: 'Root=1-a',
    });
    store.close();
  });

  it('keeps moves to the DLQ and compacts on restart', () => {
    const a = clockedStore(dir);
    a.store.createQueue('dlq');
    a.store.createQueue('q', { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: a.store.arnOf('dlq'), maxReceiveCount: 1 }) });
    for (let k = 0; k < 50; k++) a.store.send('q', { body: `m${k}` });
    take(a.store, 'q', 50);
    a.advance(1);
    take(a.store, 'q', 50);
    const before = fs.readFileSync(path.join(dir, 'sqs', 'q.jsonl'), 'utf8').split('\n').length;

    const b = clockedStore(dir);
    expect(b.store.counts('q').visible).toBe(0);
    expect(b.store.counts('dlq').visible).toBe(50);
    expect(take(b.store, 'dlq', 1)[0]?.attributes.DeadLetterQueueSourceArn).toBe(b.store.arnOf('q'));
    expect(fs.readFileSync(path.join(dir, 'sqs', 'q.jsonl'), 'utf8').split('\n').length).toBeLessThan(before);
    b.store.close();
  });

  it('registers faults of sent messages under both ids, and a consumed once-fault stays consumed after restart', () => {
    const faults = new FaultRegistry(path.join(dir, 'faults.jsonl'));
    const a = clockedStore(dir, faults);
    a.store.createQueue('q');
    const { messageId } = a.store.send('q', { body: JSON.stringify({ message_id: 'p-1', _fault: 'lambda_crash_once', json_payload: {} }) });
    a.store.send('q', { body: JSON.stringify({ message_id: 'p-2', json_payload: {} }) });
    expect(faults.faultFor(messageId)).toBe('lambda_crash_once');
    expect(faults.faultFor('p-1')).toBe('lambda_crash_once');
    expect(faults.faultFor('p-2')).toBeUndefined();
    expect(faults.consumeOnce('p-1', 'lambda_crash_once')).toBe(true);
    expect(faults.consumeOnce(messageId, 'lambda_crash_once')).toBe(false);

    const again = new FaultRegistry(path.join(dir, 'faults.jsonl'));
    expect(again.faultFor(messageId)).toBe('lambda_crash_once');
    expect(again.consumeOnce(messageId, 'lambda_crash_once')).toBe(false);
    faults.close();
    again.close();
  });
});

describe('byte-limited receives', () => {
  it('stops before maxBytes, returns one oversize message first unless strict, and never waits when strict', async () => {
    const { store } = clockedStore();
    store.createQueue('q');
    for (let k = 0; k < 3; k++) store.send('q', { body: 'x'.repeat(400) });
    expect(store.receiveNow('q', { max: 10, maxBytes: 1000 })).toHaveLength(2);
    expect(store.receiveNow('q', { max: 10, maxBytes: 100, strictMaxBytes: true })).toHaveLength(0);
    const t0 = Date.now();
    expect(await store.receive('q', { max: 10, maxBytes: 100, strictMaxBytes: true, waitMs: 5000 })).toHaveLength(0);
    expect(Date.now() - t0).toBeLessThan(1000);
    const [last] = store.receiveNow('q', { max: 10, maxBytes: 100 });
    assert(last);
    expect(last.attributes.ApproximateReceiveCount).toBe('1');
  });
});

describe('long polling', () => {
  it('wakes a waiting receiver when a message arrives and when a message becomes visible again', async () => {
    const store = new QueueStore({ region });
    store.createQueue('q', { VisibilityTimeout: '0' });
    const waiting = store.receive('q', { max: 10, waitMs: 5000 });
    store.send('q', { body: 'now' });
    expect((await waiting).map((m) => m.body)).toEqual(['now']);

    store.setAttributes('q', { VisibilityTimeout: '1' });
    const t0 = Date.now();
    const again = await store.receive('q', { max: 1, waitMs: 5000 });
    expect(again).toHaveLength(1);
    const third = await store.receive('q', { max: 1, waitMs: 5000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(third[0]?.attributes.ApproximateReceiveCount).toBe('3');
    store.close();
  });

  it('returns empty when aborted', async () => {
    const store = new QueueStore({ region });
    store.createQueue('q');
    const ctrl = new AbortController();
    const p = store.receive('q', { max: 1, waitMs: 10_000, signal: ctrl.signal });
    ctrl.abort();
    expect(await p).toEqual([]);
    store.close();
  });
});

describe('onSend', () => {
  it('sees every accepted send (batch entries included) but not refused entries, moves to the DLQ or redrives', () => {
    const seen: Array<[string, string, string]> = [];
    const store = new QueueStore({ region, onSend: (q, id, body) => seen.push([q, id, body]) });
    store.createQueue('dlq');
    store.createQueue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: store.arnOf('dlq'), maxReceiveCount: 1 }), VisibilityTimeout: '0' });
    const one = store.send('src', { body: 'a' });
    const batch = store.sendBatch('src', [{ body: 'b' }, { body: '' }]);
    expect(batch[1]).toBeInstanceOf(SqsError);
    expect(seen).toEqual([
      ['src', one.messageId, 'a'],
      ['src', (batch[0] as { messageId: string }).messageId, 'b'],
    ]);
    // two receives move both messages to the DLQ; a redrive moves them back: neither is a send
    take(store, 'src');
    take(store, 'src');
    expect(store.counts('dlq').visible).toBe(2);
    store.startMessageMoveTask(store.arnOf('dlq'));
    expect(store.counts('src').visible).toBe(2);
    expect(seen).toHaveLength(2);
  });
});
