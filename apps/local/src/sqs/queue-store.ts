import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FaultRegistry } from '../faults/fault-registry';
import { hasInvalidCharacters, md5Hex, md5OfMessageAttributes, messageSize, type MessageAttributes } from './message-md5';
import {
  QUEUE_NAME_PATTERN,
  SETTABLE_DEFAULTS,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  queueArn,
  redriveAllowed,
  validateAttributes,
  type RedriveAllowPolicy,
  type RedrivePolicy,
} from './queue-attributes';
import { QueueJournal, type JournalMessage, type JournalRecord } from './queue-journal';
import { SqsError, invalidParameter, noSuchQueue } from './sqs-errors';

export interface SendInput {
  body: string;
  delaySeconds?: number;
  messageAttributes?: MessageAttributes;
  /** Message system attributes given on send (only AWSTraceHeader exists). */
  systemAttributes?: Record<string, string>;
}

export interface SendResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
}

export interface ReceiveOptions {
  /** Messages to return at most (the API allows 1..10; in-process callers such as the ESM may ask for more). */
  max: number;
  /** Overrides the queue's VisibilityTimeout for this receive. */
  visibilityTimeout?: number;
  /** Long polling: wait up to this long for a first message. */
  waitMs?: number;
  signal?: AbortSignal;
  /** Stop before the bodies pass this many characters; the first message may exceed it unless strictMaxBytes. */
  maxBytes?: number;
  /** With maxBytes: return nothing, at once, when the next visible message does not fit. */
  strictMaxBytes?: boolean;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** System attributes, all of them (callers select). */
  attributes: Record<string, string>;
  messageAttributes?: MessageAttributes;
  md5OfMessageAttributes?: string;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface MoveTask {
  taskHandle: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  sourceArn: string;
  destinationArn?: string;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove: number;
  startedTimestamp: number;
  failureReason?: string;
}

interface Message extends JournalMessage {
  md5: string;
  md5Attrs?: string;
  state: 'ready' | 'inflight' | 'delayed';
  /** Bumped on every state change so stale heap and ready-list entries are skipped. */
  gen: number;
  handle?: string;
}

interface Waiter {
  opts: ReceiveOptions;
  resolve(msgs: ReceivedMessage[]): void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

/** Min-heap of (time, message, generation): when in-flight and delayed messages become visible. */
class TimeHeap {
  private items: Array<{ at: number; m: Message; gen: number }> = [];
  get size() {
    return this.items.length;
  }
  peek() {
    return this.items[0];
  }
  push(at: number, m: Message) {
    const a = this.items;
    a.push({ at, m, gen: m.gen });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= a[i].at) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let s = i;
        if (l < a.length && a[l].at < a[s].at) s = l;
        if (r < a.length && a[r].at < a[s].at) s = r;
        if (s === i) break;
        [a[s], a[i]] = [a[i], a[s]];
        i = s;
      }
    }
    return top;
  }
  clear() {
    this.items = [];
  }
}

class Queue {
  readonly messages = new Map<string, Message>();
  /** Visible messages in arrival order (entries whose generation moved on are skipped). */
  ready: Array<{ m: Message; gen: number }> = [];
  readyHead = 0;
  readonly timers = new TimeHeap();
  readonly waiters: Waiter[] = [];
  wakeTimer?: NodeJS.Timeout;
  wakeAt = Infinity;
  redrive?: RedrivePolicy;
  redriveAllow?: RedriveAllowPolicy;
  lastPurge = 0;
  constructor(
    readonly name: string,
    readonly arn: string,
    public attrs: Record<string, string>,
    readonly created: number,
    public modified: number,
    public tags: Record<string, string>,
    readonly journal?: QueueJournal,
  ) {
    this.applyPolicies();
  }

  applyPolicies() {
    this.redrive = this.attrs.RedrivePolicy ? parseRedrivePolicy(this.attrs.RedrivePolicy) : undefined;
    this.redriveAllow = this.attrs.RedriveAllowPolicy ? parseRedriveAllowPolicy(this.attrs.RedriveAllowPolicy) : undefined;
  }

  num(attr: string): number {
    return Number(this.attrs[attr] ?? SETTABLE_DEFAULTS[attr]);
  }

  pushReady(m: Message) {
    m.state = 'ready';
    m.gen++;
    this.ready.push({ m, gen: m.gen });
  }

  shiftReady(): Message | undefined {
    while (this.readyHead < this.ready.length) {
      const e = this.ready[this.readyHead++];
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      if (e.gen === e.m.gen && e.m.state === 'ready' && this.messages.get(e.m.i) === e.m) return e.m;
    }
    return undefined;
  }

  /** The next visible message without taking it (stale entries ahead of it are dropped). */
  peekReady(): Message | undefined {
    while (this.readyHead < this.ready.length) {
      const e = this.ready[this.readyHead];
      if (e.gen === e.m.gen && e.m.state === 'ready' && this.messages.get(e.m.i) === e.m) return e.m;
      this.readyHead++;
    }
    return undefined;
  }

  hasReady(): boolean {
    for (let i = this.readyHead; i < this.ready.length; i++) {
      const e = this.ready[i];
      if (e.gen === e.m.gen && e.m.state === 'ready' && this.messages.get(e.m.i) === e.m) return true;
    }
    return false;
  }
}

export interface QueueStoreOptions {
  region: string;
  /** Journal directory root; queues persist under `<dataDir>/sqs/`. Without it, queues live in memory only. */
  dataDir?: string;
  faults?: FaultRegistry;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
  /** SenderId reported for messages (AWS: the sender's account or principal id). */
  senderId?: string;
  /** Called for every message a send accepts (not for moves to a DLQ or redrives). */
  onSend?: (queueName: string, messageId: string, body: string) => void;
}

const RECEIPT_PREFIX = 'lo1';
/** Receipt handles: message id, a per-process nonce and a counter make every receive's handle unique without a random draw each. */
const HANDLE_NONCE = randomBytes(6).toString('base64url');
let handleCounter = 0;

/**
 * An in-memory SQS engine with the semantics AWS documents for standard queues: at-least-once delivery,
 * visibility timeout, receive counts, redrive to a dead-letter queue after maxReceiveCount receives,
 * retention, delays, long polling and message move tasks. Every change is journaled before the call returns.
 */
export class QueueStore {
  readonly region: string;
  private readonly queues = new Map<string, Queue>();
  private readonly moveTasks: MoveTask[] = [];
  private readonly clock: () => number;
  private readonly senderId: string;
  private readonly dir?: string;
  private lastRetentionSweep = 0;
  private dirty = new Set<QueueJournal>();
  private closed = false;

  constructor(private readonly opts: QueueStoreOptions) {
    this.region = opts.region;
    this.clock = opts.clock ?? Date.now;
    this.senderId = opts.senderId ?? 'AIDAAAAAAAAAAAAAAAAAA';
    if (opts.dataDir) {
      this.dir = path.join(opts.dataDir, 'sqs');
      fs.mkdirSync(this.dir, { recursive: true });
      this.restore();
    }
  }

  // ---------------------------------------------------------------- queues

  /** CreateQueue: returns the queue ARN; idempotent when the attributes given match the existing queue. */
  createQueue(name: string, attributes: Record<string, string> = {}, tags: Record<string, string> = {}): string {
    if (!QUEUE_NAME_PATTERN.test(name)) {
      throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const attrs = validateAttributes(attributes);
    const existing = this.queues.get(name);
    if (existing) {
      // CreateQueue is idempotent only when every given attribute matches the existing queue.
      for (const [k, v] of Object.entries(attrs)) {
        if ((existing.attrs[k] ?? SETTABLE_DEFAULTS[k]) !== v) {
          throw new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${k}`);
        }
      }
      return existing.arn;
    }
    const arn = queueArn(this.region, name);
    this.checkRedriveTarget(arn, attrs.RedrivePolicy);
    const now = this.clock();
    const journal = this.dir ? new QueueJournal(QueueJournal.fileFor(this.dir, name)) : undefined;
    const q = new Queue(name, arn, attrs, now, now, { ...tags }, journal);
    this.queues.set(name, q);
    this.log(q, { o: 'q', attrs, created: now, modified: now, tags: q.tags });
    this.flush();
    return arn;
  }

  hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  queueNames(prefix = ''): string[] {
    return [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
  }

  arnOf(name: string): string {
    return this.queue(name).arn;
  }

  nameOfArn(arn: string): string | undefined {
    for (const q of this.queues.values()) if (q.arn === arn) return q.name;
    return undefined;
  }

  deleteQueue(name: string): void {
    const q = this.queue(name);
    for (const w of q.waiters.splice(0)) this.finishWaiter(q, w, []);
    if (q.wakeTimer) clearTimeout(q.wakeTimer);
    q.journal?.remove();
    if (q.journal) this.dirty.delete(q.journal);
    this.queues.delete(name);
  }

  setAttributes(name: string, attributes: Record<string, string>): void {
    const q = this.queue(name);
    const attrs = validateAttributes(attributes);
    if (attrs.RedrivePolicy) this.checkRedriveTarget(q.arn, attrs.RedrivePolicy);
    const next = { ...q.attrs, ...attrs };
    for (const [k, v] of Object.entries(attrs)) if (v === '' && !(k in SETTABLE_DEFAULTS)) delete next[k];
    q.attrs = next;
    q.modified = this.clock();
    q.applyPolicies();
    this.log(q, { o: 'q', attrs: q.attrs, created: q.created, modified: q.modified, tags: q.tags });
    this.flush();
  }

  getAttributes(name: string): Record<string, string> {
    const q = this.queue(name);
    this.tick(q);
    const c = this.countsOf(q);
    const out: Record<string, string> = { ...SETTABLE_DEFAULTS, ...q.attrs };
    out.QueueArn = q.arn;
    out.ApproximateNumberOfMessages = String(c.visible);
    out.ApproximateNumberOfMessagesNotVisible = String(c.inFlight);
    out.ApproximateNumberOfMessagesDelayed = String(c.delayed);
    out.CreatedTimestamp = String(Math.floor(q.created / 1000));
    out.LastModifiedTimestamp = String(Math.floor(q.modified / 1000));
    return out;
  }

  tags(name: string): Record<string, string> {
    return { ...this.queue(name).tags };
  }

  setTags(name: string, add: Record<string, string>, remove: string[] = []): void {
    const q = this.queue(name);
    q.tags = { ...q.tags, ...add };
    for (const k of remove) delete q.tags[k];
    this.log(q, { o: 'q', attrs: q.attrs, created: q.created, modified: q.modified, tags: q.tags });
    this.flush();
  }

  /** Queues whose RedrivePolicy targets this queue. */
  deadLetterSourceQueues(name: string): string[] {
    const arn = this.queue(name).arn;
    return [...this.queues.values()]
      .filter((q) => q.redrive?.deadLetterTargetArn === arn)
      .map((q) => q.name)
      .sort();
  }

  // ---------------------------------------------------------------- messages

  send(name: string, input: SendInput): SendResult {
    const q = this.queue(name);
    const r = this.sendTo(q, input);
    this.flush();
    this.serveWaiters(q);
    return r;
  }

  /** Sends entries independently: each either succeeds or fails with its own error, as SendMessageBatch reports. */
  sendBatch(name: string, inputs: SendInput[]): Array<SendResult | SqsError> {
    const q = this.queue(name);
    const out = inputs.map((input) => {
      try {
        return this.sendTo(q, input);
      } catch (e) {
        if (e instanceof SqsError) return e;
        throw e;
      }
    });
    this.flush();
    this.serveWaiters(q);
    return out;
  }

  /** Checks a message without sending it (batch size checks need each entry's size first). */
  validateMessage(q: { num(a: string): number }, input: SendInput): void {
    if (hasInvalidCharacters(input.body)) {
      throw new SqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    if (input.body.length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const max = q.num('MaximumMessageSize');
    if (messageSize(input.body, input.messageAttributes) > max) {
      throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
    }
    const delay = input.delaySeconds;
    if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > 900)) {
      throw invalidParameter(`Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
    }
    for (const [attrName, a] of Object.entries(input.messageAttributes ?? {})) {
      if (!a || typeof a.DataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(a.DataType)) {
        throw invalidParameter(`The message attribute '${attrName}' has an invalid message attribute type.`);
      }
      if (a.StringValue === undefined && a.BinaryValue === undefined) {
        throw invalidParameter(`The message attribute '${attrName}' must contain non-empty message attribute value.`);
      }
    }
    if (Object.keys(input.messageAttributes ?? {}).length > 10) {
      throw invalidParameter('Number of message attributes [11] exceeds the allowed maximum [10].');
    }
  }

  maximumMessageSize(name: string): number {
    return this.queue(name).num('MaximumMessageSize');
  }

  /** The queue's default long-poll time (ReceiveMessageWaitTimeSeconds). */
  receiveWaitSeconds(name: string): number {
    return this.queue(name).num('ReceiveMessageWaitTimeSeconds');
  }

  async receive(name: string, opts: ReceiveOptions): Promise<ReceivedMessage[]> {
    const q = this.queue(name);
    const now = this.take(q, opts);
    // a visible message left behind did not fit maxBytes: waiting would not change that
    if (now.length > 0 || !opts.waitMs || opts.waitMs <= 0 || opts.signal?.aborted || q.peekReady()) return now;
    return new Promise<ReceivedMessage[]>((resolve) => {
      const w: Waiter = { opts, resolve };
      w.timer = setTimeout(() => {
        const i = q.waiters.indexOf(w);
        if (i >= 0) q.waiters.splice(i, 1);
        // a last look: a message may have become visible at the very end of the wait
        this.finishWaiter(q, w, this.queues.get(name) === q ? this.take(q, opts) : []);
      }, opts.waitMs);
      if (opts.signal) {
        w.onAbort = () => {
          const i = q.waiters.indexOf(w);
          if (i >= 0) q.waiters.splice(i, 1);
          this.finishWaiter(q, w, []);
        };
        opts.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      q.waiters.push(w);
      this.armWake(q);
    });
  }

  /** Receives what is visible now, without waiting. */
  receiveNow(name: string, opts: Omit<ReceiveOptions, 'waitMs' | 'signal'>): ReceivedMessage[] {
    return this.take(this.queue(name), opts);
  }

  /**
   * Deletes by receipt handle. AWS: only the most recent handle deletes the message (even after its
   * visibility timeout ran out, as long as nobody received it again); an older one "succeeds, but the
   * message will not be deleted". A handle of a message already gone succeeds too.
   */
  deleteMessage(name: string, receiptHandle: string): void {
    const err = this.deleteMessages(name, [receiptHandle])[0];
    if (err) throw err;
  }

  /** Deletes several messages with one journal write; per handle: undefined, or the error for that handle. */
  deleteMessages(name: string, receiptHandles: string[]): Array<SqsError | undefined> {
    const q = this.queue(name);
    const out = receiptHandles.map((handle) => {
      let id: string;
      try {
        id = this.parseHandle(handle);
      } catch (e) {
        return e as SqsError;
      }
      const m = q.messages.get(id);
      if (m && m.handle !== undefined && m.handle === handle) this.remove(q, m);
      return undefined;
    });
    this.flush();
    return out;
  }

  changeVisibility(name: string, receiptHandle: string, visibilityTimeout: number): void {
    const q = this.queue(name);
    if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > 43200) {
      throw invalidParameter(`Value ${visibilityTimeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
    }
    const id = this.parseHandle(receiptHandle);
    this.tick(q);
    const m = q.messages.get(id);
    if (!m) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    if (m.state !== 'inflight' || m.handle !== receiptHandle) {
      throw new SqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    }
    m.gen++;
    const at = this.clock() + visibilityTimeout * 1000;
    q.timers.push(at, m);
    this.tick(q);
    this.armWake(q);
    this.serveWaiters(q);
  }

  purge(name: string): void {
    const q = this.queue(name);
    const now = this.clock();
    // AWS allows one PurgeQueue per queue every 60 seconds.
    if (now - q.lastPurge < 60_000) {
      throw new SqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`);
    }
    q.lastPurge = now;
    q.messages.clear();
    q.ready = [];
    q.readyHead = 0;
    q.timers.clear();
    this.log(q, { o: 'p' });
    this.flush();
  }

  // ---------------------------------------------------------------- message move tasks

  /**
   * Moves every visible message of a dead-letter queue to DestinationArn, or back to the queue each came
   * from (DeadLetterQueueSourceArn). Runs to completion at once; the task is listed as COMPLETED.
   */
  startMessageMoveTask(sourceArn: string, destinationArn?: string): MoveTask {
    const srcName = this.nameOfArn(sourceArn);
    if (!srcName) throw new SqsError('ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
    const src = this.queue(srcName);
    if (this.deadLetterSourceQueues(srcName).length === 0 && ![...src.messages.values()].some((m) => m.q)) {
      throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
    }
    let dest: Queue | undefined;
    if (destinationArn) {
      const destName = this.nameOfArn(destinationArn);
      if (!destName) throw new SqsError('ResourceNotFoundException', "The resource that you specified for the DestinationArn parameter doesn't exist.");
      dest = this.queue(destName);
    }
    this.tick(src);
    const task: MoveTask = {
      taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString('base64'),
      status: 'RUNNING',
      sourceArn,
      destinationArn,
      approximateNumberOfMessagesMoved: 0,
      approximateNumberOfMessagesToMove: 0,
      startedTimestamp: this.clock(),
    };
    const candidates: Message[] = [];
    for (let m = src.shiftReady(); m; m = src.shiftReady()) candidates.push(m);
    task.approximateNumberOfMessagesToMove = candidates.length;
    const touched = new Set<Queue>();
    for (const m of candidates) {
      const targetName = dest ? dest.name : m.q ? this.nameOfArn(m.q) : undefined;
      const target = targetName ? this.queues.get(targetName) : undefined;
      if (!target) {
        src.pushReady(m);
        continue;
      }
      // Redriven messages start over: the receive count resets, the original MessageId and SentTimestamp stay.
      this.moveMessage(src, target, m, { c: 0, f: undefined, q: undefined });
      touched.add(target);
      task.approximateNumberOfMessagesMoved++;
    }
    this.flush();
    for (const t of touched) this.serveWaiters(t);
    task.status = task.approximateNumberOfMessagesMoved === candidates.length ? 'COMPLETED' : 'FAILED';
    if (task.status === 'FAILED') task.failureReason = 'Some messages have no existing source queue to return to.';
    this.moveTasks.push(task);
    return task;
  }

  listMessageMoveTasks(sourceArn: string): MoveTask[] {
    return this.moveTasks.filter((t) => t.sourceArn === sourceArn).reverse();
  }

  // ---------------------------------------------------------------- observability

  counts(name: string): QueueCounts {
    const q = this.queue(name);
    this.tick(q);
    return this.countsOf(q);
  }

  /** Seconds since the oldest message was enqueued on this queue (a move to a DLQ restarts it), 0 when empty. */
  approximateAgeOfOldestMessage(name: string): number {
    const q = this.queue(name);
    this.tick(q);
    let oldest = Infinity;
    for (const m of q.messages.values()) if (m.e < oldest) oldest = m.e;
    return oldest === Infinity ? 0 : Math.max(0, Math.floor((this.clock() - oldest) / 1000));
  }

  /** No message visible, in flight or delayed in any queue. */
  idle(): boolean {
    for (const q of this.queues.values()) if (q.messages.size > 0) return false;
    return true;
  }

  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) {
      for (const w of q.waiters.splice(0)) this.finishWaiter(q, w, []);
      if (q.wakeTimer) clearTimeout(q.wakeTimer);
      q.journal?.close();
    }
  }

  // ---------------------------------------------------------------- internals

  private queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw noSuchQueue();
    return q;
  }

  private checkRedriveTarget(sourceArn: string, redrivePolicy: string | undefined): void {
    if (!redrivePolicy) return;
    const p = parseRedrivePolicy(redrivePolicy);
    const name = this.nameOfArn(p.deadLetterTargetArn);
    if (!name) {
      throw new SqsError('InvalidAttributeValue', `Value ${redrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
    }
    if (!redriveAllowed(this.queues.get(name)!.redriveAllow, sourceArn)) {
      throw new SqsError(
        'InvalidAttributeValue',
        `Value ${redrivePolicy} for parameter RedrivePolicy is invalid. Reason: Queue ${sourceArn} is not allowed by the dead-letter queue's RedriveAllowPolicy.`,
      );
    }
  }

  private sendTo(q: Queue, input: SendInput): SendResult {
    this.validateMessage(q, input);
    const now = this.clock();
    const delay = input.delaySeconds ?? q.num('DelaySeconds');
    const jm: JournalMessage = { i: randomUUID(), b: input.body, t: now, s: this.senderId, e: now, c: 0 };
    if (delay > 0) jm.d = now + delay * 1000;
    if (input.messageAttributes && Object.keys(input.messageAttributes).length > 0) jm.a = input.messageAttributes;
    if (input.systemAttributes && Object.keys(input.systemAttributes).length > 0) jm.y = input.systemAttributes;
    const m = this.admit(q, jm);
    this.log(q, { o: 's', m: jm });
    this.opts.faults?.register(m.i, m.b);
    this.opts.onSend?.(q.name, m.i, m.b);
    return { messageId: m.i, md5OfMessageBody: m.md5, md5OfMessageAttributes: m.md5Attrs };
  }

  /** Puts a journal message into a queue's live state (sends, replays and moves all come through here). */
  private admit(q: Queue, jm: JournalMessage): Message {
    // one object shape for every message keeps the hot paths monomorphic
    const m: Message = {
      i: jm.i,
      b: jm.b,
      t: jm.t,
      s: jm.s,
      e: jm.e,
      c: jm.c,
      f: jm.f,
      d: jm.d,
      q: jm.q,
      a: jm.a,
      y: jm.y,
      md5: md5Hex(jm.b),
      md5Attrs: md5OfMessageAttributes(jm.a),
      state: 'ready',
      gen: 0,
      handle: undefined,
    };
    q.messages.set(m.i, m);
    if (m.d !== undefined && m.d > this.clock()) {
      m.state = 'delayed';
      q.timers.push(m.d, m);
    } else {
      q.pushReady(m);
    }
    return m;
  }

  private remove(q: Queue, m: Message): void {
    q.messages.delete(m.i);
    m.gen++;
    this.log(q, { o: 'd', i: m.i });
  }

  /** Writes the message into the target's journal before removing it from the source: a crash in between duplicates, never loses. */
  private moveMessage(src: Queue, target: Queue, m: Message, changes: Partial<JournalMessage>): void {
    const jm: JournalMessage = { i: m.i, b: m.b, t: m.t, s: m.s, e: this.clock(), c: m.c };
    if (m.f !== undefined) jm.f = m.f;
    if (m.q !== undefined) jm.q = m.q;
    if (m.a) jm.a = m.a;
    if (m.y) jm.y = m.y;
    Object.assign(jm, changes);
    for (const k of Object.keys(jm) as Array<keyof JournalMessage>) if (jm[k] === undefined) delete jm[k];
    src.messages.delete(m.i);
    m.gen++;
    this.admit(target, jm);
    this.log(target, { o: 's', m: jm });
    target.journal?.flush();
    this.log(src, { o: 'd', i: m.i });
  }

  private take(q: Queue, opts: { max: number; visibilityTimeout?: number; maxBytes?: number; strictMaxBytes?: boolean }): ReceivedMessage[] {
    if (this.closed) return [];
    this.tick(q);
    const out: ReceivedMessage[] = [];
    const now = this.clock();
    const vt = opts.visibilityTimeout ?? q.num('VisibilityTimeout');
    const retentionMs = q.num('MessageRetentionPeriod') * 1000;
    let bytes = 0;
    while (out.length < opts.max) {
      const next = q.peekReady();
      if (!next) break;
      if (opts.maxBytes !== undefined && (out.length > 0 || opts.strictMaxBytes) && bytes + next.b.length > opts.maxBytes) break;
      const m = q.shiftReady()!;
      if (m.t + retentionMs <= now) {
        this.remove(q, m);
        continue;
      }
      // AWS moves a message when a receive would take its count past maxReceiveCount.
      if (q.redrive && m.c >= q.redrive.maxReceiveCount) {
        const dlqName = this.nameOfArn(q.redrive.deadLetterTargetArn);
        const dlq = dlqName ? this.queues.get(dlqName) : undefined;
        if (dlq && dlq !== q) {
          this.moveMessage(q, dlq, m, { q: q.arn });
          this.serveWaitersLater(dlq);
          continue;
        }
      }
      m.c++;
      if (m.f === undefined) m.f = now;
      m.state = 'inflight';
      m.gen++;
      m.handle = `${RECEIPT_PREFIX}.${Buffer.from(m.i).toString('base64url')}.${HANDLE_NONCE}${(++handleCounter).toString(36)}`;
      q.timers.push(now + vt * 1000, m);
      this.log(q, { o: 'r', i: m.i, c: m.c, f: m.f });
      out.push(this.view(q, m));
      bytes += m.b.length;
    }
    this.flush();
    if (vt === 0 && out.length > 0) this.armWake(q);
    return out;
  }

  private view(_q: Queue, m: Message): ReceivedMessage {
    const attributes: Record<string, string> = {
      SenderId: m.s,
      SentTimestamp: String(m.t),
      ApproximateReceiveCount: String(m.c),
      ApproximateFirstReceiveTimestamp: String(m.f ?? this.clock()),
    };
    if (m.q) attributes.DeadLetterQueueSourceArn = m.q;
    if (m.y?.AWSTraceHeader) attributes.AWSTraceHeader = m.y.AWSTraceHeader;
    return {
      messageId: m.i,
      receiptHandle: m.handle!,
      body: m.b,
      md5OfBody: m.md5,
      attributes,
      messageAttributes: m.a,
      md5OfMessageAttributes: m.md5Attrs,
    };
  }

  private parseHandle(handle: string): string {
    const parts = typeof handle === 'string' ? handle.split('.') : [];
    if (parts.length !== 3 || parts[0] !== RECEIPT_PREFIX) {
      throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    return Buffer.from(parts[1], 'base64url').toString();
  }

  /** Makes due in-flight and delayed messages visible; drops expired messages about once a second. */
  private tick(q: Queue): void {
    const now = this.clock();
    for (let top = q.timers.peek(); top && top.at <= now; top = q.timers.peek()) {
      q.timers.pop();
      if (top.gen === top.m.gen && q.messages.get(top.m.i) === top.m) q.pushReady(top.m);
    }
    if (now - this.lastRetentionSweep >= 1000) {
      this.lastRetentionSweep = now;
      for (const queue of this.queues.values()) {
        const retentionMs = queue.num('MessageRetentionPeriod') * 1000;
        for (const m of queue.messages.values()) if (m.t + retentionMs <= now) this.remove(queue, m);
      }
      this.flush();
    }
  }

  private countsOf(q: Queue): QueueCounts {
    const c: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of q.messages.values()) {
      if (m.state === 'ready') c.visible++;
      else if (m.state === 'inflight') c.inFlight++;
      else c.delayed++;
    }
    return c;
  }

  private serveWaiters(q: Queue): void {
    while (q.waiters.length > 0 && q.hasReady()) {
      const w = q.waiters.shift()!;
      this.finishWaiter(q, w, this.take(q, w.opts));
    }
    this.armWake(q);
  }

  private serveWaitersLater(q: Queue): void {
    if (q.waiters.length > 0) setImmediate(() => this.queues.get(q.name) === q && this.serveWaiters(q));
  }

  private finishWaiter(_q: Queue, w: Waiter, msgs: ReceivedMessage[]): void {
    if (w.timer) clearTimeout(w.timer);
    if (w.onAbort) w.opts.signal?.removeEventListener('abort', w.onAbort);
    w.resolve(msgs);
  }

  /** While receivers wait, wake up when the next in-flight or delayed message becomes visible. */
  private armWake(q: Queue): void {
    if (q.waiters.length === 0) {
      if (q.wakeTimer) clearTimeout(q.wakeTimer);
      q.wakeTimer = undefined;
      q.wakeAt = Infinity;
      return;
    }
    const top = q.timers.peek();
    if (!top) return;
    if (q.wakeTimer && q.wakeAt <= top.at) return;
    if (q.wakeTimer) clearTimeout(q.wakeTimer);
    q.wakeAt = top.at;
    q.wakeTimer = setTimeout(
      () => {
        q.wakeTimer = undefined;
        q.wakeAt = Infinity;
        if (this.queues.get(q.name) !== q) return;
        this.tick(q);
        this.serveWaiters(q);
      },
      Math.max(0, top.at - this.clock()) + 1,
    );
  }

  private log(q: Queue, rec: JournalRecord): void {
    if (!q.journal) return;
    q.journal.append(rec);
    this.dirty.add(q.journal);
  }

  private flush(): void {
    for (const j of this.dirty) j.flush();
    this.dirty.clear();
    for (const q of this.queues.values()) if (q.journal && q.journal.lines > 4 * q.messages.size + 10_000) this.compact(q);
  }

  private compact(q: Queue): void {
    const records: JournalRecord[] = [{ o: 'q', attrs: q.attrs, created: q.created, modified: q.modified, tags: q.tags }];
    for (const m of q.messages.values()) {
      const jm: JournalMessage = { i: m.i, b: m.b, t: m.t, s: m.s, e: m.e, c: m.c };
      if (m.f !== undefined) jm.f = m.f;
      if (m.d !== undefined && m.state === 'delayed') jm.d = m.d;
      if (m.q !== undefined) jm.q = m.q;
      if (m.a) jm.a = m.a;
      if (m.y) jm.y = m.y;
      records.push({ o: 's', m: jm });
    }
    q.journal!.compact(records);
  }

  /** Rebuilds every queue from its journal; messages that were in flight are visible again. */
  private restore(): void {
    const dir = this.dir!;
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()) {
      const name = file.slice(0, -'.jsonl'.length);
      const records = QueueJournal.read(path.join(dir, file));
      const meta = records.find((r) => r.o === 'q');
      if (!meta || meta.o !== 'q') continue;
      const live = new Map<string, JournalMessage>();
      let last = meta;
      for (const r of records) {
        if (r.o === 'q') last = r;
        else if (r.o === 's') live.set(r.m.i, r.m);
        else if (r.o === 'd') live.delete(r.i);
        else if (r.o === 'r') {
          const m = live.get(r.i);
          if (m) {
            m.c = r.c;
            m.f = r.f;
          }
        } else if (r.o === 'p') live.clear();
      }
      const journal = new QueueJournal(path.join(dir, file));
      const q = new Queue(name, queueArn(this.region, name), last.attrs, last.created, last.modified, last.tags ?? {}, journal);
      this.queues.set(name, q);
      for (const jm of live.values()) this.admit(q, jm);
    }
    for (const q of this.queues.values()) this.compact(q);
  }
}
