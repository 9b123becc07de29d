import { randomUUID } from 'node:crypto';
import { queueArn } from './queue-attributes';
import { QueueCatalog } from './queue-catalog';
import { LiveQueue, receivedView, storedOf, type LiveMessage } from './live-queue';
import { LongPolls } from './long-poll';
import { MessageMoveTasks } from './message-move-tasks';
import { validateMessage } from './message-validation';
import { QueuePersistence } from './queue-persistence';
import type { MoveTask, QueueCounts, QueueStoreOptions, ReceiveOptions, ReceivedMessage, SendInput, SendResult, TakeOptions } from './queue-types';
import { messageIdOfHandle, newReceiptHandle } from './receipt-handle';
import type { JournalEntry, StoredMessage } from './stored-message';
import { SqsError, invalidParameter } from './sqs-errors';

export type { MoveTask, QueueCounts, QueueStoreOptions, ReceiveOptions, ReceivedMessage, SendInput, SendResult } from './queue-types';

/**
 * An in-memory SQS engine with the semantics AWS documents for standard queues: at-least-once delivery,
 * visibility timeout, receive counts, redrive to a dead-letter queue after maxReceiveCount receives,
 * retention, delays, long polling and message move tasks. Every change is journaled before the call returns.
 */
export class QueueStore {
  readonly region: string;
  private readonly catalog: QueueCatalog;
  private readonly clock: () => number;
  private readonly senderId: string;
  private readonly persistence: QueuePersistence;
  private readonly polls: LongPolls;
  private readonly moveTasks: MessageMoveTasks;
  private lastRetentionSweep = 0;
  private closed = false;

  constructor(private readonly opts: QueueStoreOptions) {
    this.region = opts.region;
    this.clock = opts.clock ?? Date.now;
    this.senderId = opts.senderId ?? 'AIDAAAAAAAAAAAAAAAAAA';
    this.persistence = new QueuePersistence(opts.dataDir);
    this.catalog = new QueueCatalog(this.region, this.persistence, this.clock);
    const isLive = (q: LiveQueue) => this.catalog.isLive(q);
    this.polls = new LongPolls({ take: (q, o) => this.take(q, o), tick: (q) => this.tick(q), isLive, clock: this.clock });
    this.moveTasks = new MessageMoveTasks({
      queueByArn: (arn) => this.catalog.byArn(arn),
      isDeadLetterQueue: (q) => this.deadLetterSourceQueues(q.name).length > 0,
      tick: (q) => this.tick(q),
      move: (src, target, m, changes) => this.moveMessage(src, target, m, changes),
      flush: () => this.flush(),
      serveWaiters: (q) => this.polls.serve(q),
      clock: this.clock,
    });
    this.restore();
  }

  // ---------------------------------------------------------------- queues

  /** CreateQueue: returns the queue ARN; idempotent when the attributes given match the existing queue. */
  createQueue(name: string, attributes: Record<string, string> = {}, tags: Record<string, string> = {}): string {
    const arn = this.catalog.create(name, attributes, tags);
    this.flush();
    return arn;
  }

  hasQueue(name: string): boolean {
    return this.catalog.has(name);
  }

  queueNames(prefix = ''): string[] {
    return this.catalog.names(prefix);
  }

  arnOf(name: string): string {
    return this.queue(name).arn;
  }

  nameOfArn(arn: string): string | undefined {
    return this.catalog.byArn(arn)?.name;
  }

  deleteQueue(name: string): void {
    const q = this.queue(name);
    this.polls.cancelAll(q);
    this.catalog.delete(q);
  }

  setAttributes(name: string, attributes: Record<string, string>): void {
    this.catalog.setAttributes(this.queue(name), attributes);
    this.flush();
  }

  getAttributes(name: string): Record<string, string> {
    const q = this.queue(name);
    this.tick(q);
    return this.catalog.attributesOf(q);
  }

  tags(name: string): Record<string, string> {
    return { ...this.queue(name).tags };
  }

  setTags(name: string, add: Record<string, string>, remove: string[] = []): void {
    this.catalog.setTags(this.queue(name), add, remove);
    this.flush();
  }

  /** Queues whose RedrivePolicy targets this queue. */
  deadLetterSourceQueues(name: string): string[] {
    return this.catalog.deadLetterSources(this.queue(name));
  }

  // ---------------------------------------------------------------- messages

  send(name: string, input: SendInput): SendResult {
    const q = this.queue(name);
    const r = this.sendTo(q, input);
    this.flush();
    this.polls.serve(q);
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
    this.polls.serve(q);
    return out;
  }

  /** Checks a message without sending it (batch size checks need each entry's size first). */
  validateMessage(q: { num(a: string): number }, input: SendInput): void {
    validateMessage(q, input);
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
    return this.polls.wait(q, opts);
  }

  /** Receives what is visible now, without waiting. */
  receiveNow(name: string, opts: TakeOptions): ReceivedMessage[] {
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
        id = messageIdOfHandle(handle);
      } catch (e) {
        return e as SqsError;
      }
      const m = q.messages.get(id);
      if (m && m.receiptHandle !== undefined && m.receiptHandle === handle) this.remove(q, m);
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
    const id = messageIdOfHandle(receiptHandle);
    this.tick(q);
    const m = q.messages.get(id);
    if (!m) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    if (m.state !== 'inflight' || m.receiptHandle !== receiptHandle) {
      throw new SqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    }
    m.generation++;
    q.schedule(m, this.clock() + visibilityTimeout * 1000);
    this.tick(q);
    this.polls.armWake(q);
    this.polls.serve(q);
  }

  purge(name: string): void {
    const q = this.queue(name);
    const now = this.clock();
    // AWS allows one PurgeQueue per queue every 60 seconds.
    if (now - q.lastPurge < 60_000) {
      throw new SqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`);
    }
    q.lastPurge = now;
    q.clear();
    this.log(q, { kind: 'purged' });
    this.flush();
  }

  // ---------------------------------------------------------------- message move tasks

  /**
   * Moves every visible message of a dead-letter queue to DestinationArn, or back to the queue each came
   * from (DeadLetterQueueSourceArn). Runs to completion at once; the task is listed as COMPLETED.
   */
  startMessageMoveTask(sourceArn: string, destinationArn?: string): MoveTask {
    return this.moveTasks.start(sourceArn, destinationArn);
  }

  listMessageMoveTasks(sourceArn: string): MoveTask[] {
    return this.moveTasks.list(sourceArn);
  }

  // ---------------------------------------------------------------- observability

  counts(name: string): QueueCounts {
    const q = this.queue(name);
    this.tick(q);
    return q.counts();
  }

  /** Seconds since the oldest message was enqueued on this queue (a move to a DLQ restarts it), 0 when empty. */
  approximateAgeOfOldestMessage(name: string): number {
    const q = this.queue(name);
    this.tick(q);
    let oldest = Infinity;
    for (const m of q.messages.values()) if (m.enqueuedAt < oldest) oldest = m.enqueuedAt;
    return oldest === Infinity ? 0 : Math.max(0, Math.floor((this.clock() - oldest) / 1000));
  }

  /** No message visible, in flight or delayed in any queue. */
  idle(): boolean {
    for (const q of this.catalog.all()) if (q.messages.size > 0) return false;
    return true;
  }

  close(): void {
    this.closed = true;
    for (const q of this.catalog.all()) {
      this.polls.cancelAll(q);
      q.journal?.close();
    }
  }

  // ---------------------------------------------------------------- internals

  private queue(name: string): LiveQueue {
    return this.catalog.get(name);
  }

  private sendTo(q: LiveQueue, input: SendInput): SendResult {
    validateMessage(q, input);
    const now = this.clock();
    const delay = input.delaySeconds ?? q.num('DelaySeconds');
    const stored: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      sentTimestamp: now,
      senderId: this.senderId,
      enqueuedAt: now,
      receiveCount: 0,
      delayedUntil: delay > 0 ? now + delay * 1000 : undefined,
      messageAttributes: input.messageAttributes && Object.keys(input.messageAttributes).length > 0 ? input.messageAttributes : undefined,
      systemAttributes: input.systemAttributes && Object.keys(input.systemAttributes).length > 0 ? input.systemAttributes : undefined,
    };
    const m = q.admit(stored, now);
    this.log(q, { kind: 'sent', message: stored });
    this.opts.faults?.register(m.messageId, m.body);
    this.opts.onSend?.(q.name, m.messageId, m.body);
    return { messageId: m.messageId, md5OfMessageBody: m.md5OfBody, md5OfMessageAttributes: m.md5OfMessageAttributes };
  }

  private remove(q: LiveQueue, m: LiveMessage): void {
    q.drop(m);
    this.log(q, { kind: 'deleted', messageId: m.messageId });
  }

  /** Writes the message into the target's journal before removing it from the source: a crash in between duplicates, never loses. */
  private moveMessage(src: LiveQueue, target: LiveQueue, m: LiveMessage, changes: Partial<StoredMessage>): void {
    const stored = storedOf(m, { enqueuedAt: this.clock(), ...changes });
    src.drop(m);
    target.admit(stored, this.clock());
    this.log(target, { kind: 'sent', message: stored });
    target.journal?.flush();
    this.log(src, { kind: 'deleted', messageId: m.messageId });
  }

  private take(q: LiveQueue, opts: TakeOptions): ReceivedMessage[] {
    if (this.closed) return [];
    this.tick(q);
    const out: ReceivedMessage[] = [];
    const now = this.clock();
    const vt = opts.visibilityTimeout ?? q.num('VisibilityTimeout');
    const retentionMs = q.num('MessageRetentionPeriod') * 1000;
    let bytes = 0;
    for (let next = q.peekReady(); next && out.length < opts.max; next = q.peekReady()) {
      if (opts.maxBytes !== undefined && (out.length > 0 || opts.strictMaxBytes) && bytes + next.body.length > opts.maxBytes) break;
      q.shiftReady();
      if (next.sentTimestamp + retentionMs <= now) {
        this.remove(q, next);
        continue;
      }
      if (this.redriveOnReceive(q, next)) continue;
      out.push(this.receiveOne(q, next, now, vt));
      bytes += next.body.length;
    }
    this.flush();
    if (vt === 0 && out.length > 0) this.polls.armWake(q);
    return out;
  }

  /** AWS moves a message when a receive would take its count past maxReceiveCount. True when it moved. */
  private redriveOnReceive(q: LiveQueue, m: LiveMessage): boolean {
    if (!q.redrive || m.receiveCount < q.redrive.maxReceiveCount) return false;
    const dlq = this.catalog.byArn(q.redrive.deadLetterTargetArn);
    if (!dlq || dlq === q) return false;
    this.moveMessage(q, dlq, m, { deadLetterQueueSourceArn: q.arn });
    this.polls.serveLater(dlq);
    return true;
  }

  private receiveOne(q: LiveQueue, m: LiveMessage, now: number, visibilityTimeout: number): ReceivedMessage {
    m.receiveCount++;
    if (m.firstReceiveTimestamp === undefined) m.firstReceiveTimestamp = now;
    m.state = 'inflight';
    m.generation++;
    const handle = newReceiptHandle(m.messageId);
    m.receiptHandle = handle;
    q.schedule(m, now + visibilityTimeout * 1000);
    this.log(q, { kind: 'received', messageId: m.messageId, receiveCount: m.receiveCount, firstReceiveTimestamp: m.firstReceiveTimestamp });
    return receivedView(m, handle, now);
  }

  /** Makes due in-flight and delayed messages visible; drops expired messages about once a second. */
  private tick(q: LiveQueue): void {
    const now = this.clock();
    q.releaseDue(now);
    if (now - this.lastRetentionSweep < 1000) return;
    this.lastRetentionSweep = now;
    for (const queue of this.catalog.all()) {
      const retentionMs = queue.num('MessageRetentionPeriod') * 1000;
      for (const m of queue.messages.values()) if (m.sentTimestamp + retentionMs <= now) this.remove(queue, m);
    }
    this.flush();
  }

  private log(q: LiveQueue, entry: JournalEntry): void {
    this.persistence.log(q, entry);
  }

  private flush(): void {
    this.persistence.flush(this.catalog.all());
  }

  /** Rebuilds every queue from its journal; messages that were in flight are visible again. */
  private restore(): void {
    for (const r of this.persistence.restore()) {
      const q = new LiveQueue(r.name, queueArn(this.region, r.name), r.meta.attributes, r.meta.created, r.meta.modified, r.meta.tags, r.journal);
      this.catalog.add(q);
      for (const stored of r.messages) q.admit(stored, this.clock());
    }
    for (const q of this.catalog.all()) this.persistence.compact(q);
  }
}
