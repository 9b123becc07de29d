import { md5Hex, md5OfMessageAttributes } from './message-md5';
import { SETTABLE_DEFAULTS, parseRedriveAllowPolicy, parseRedrivePolicy, type RedriveAllowPolicy, type RedrivePolicy } from './queue-attributes';
import type { QueueJournal } from './queue-journal';
import type { QueueCounts, ReceiveOptions, ReceivedMessage } from './queue-types';
import { TimeHeap } from './time-heap';
import type { StoredMessage } from './stored-message';

/** A message in a running queue: what is stored, plus what only matters while the process lives. */
export interface LiveMessage extends StoredMessage {
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  state: 'ready' | 'inflight' | 'delayed';
  /** Bumped on every state change so stale heap and ready-list entries are skipped. */
  generation: number;
  /** The handle of the latest receive (only it deletes the message). */
  receiptHandle?: string;
}

/** A message as it was when an entry about it was queued; the entry is stale once the generation moved on. */
interface MessageRef {
  message: LiveMessage;
  generation: number;
}

interface TimerEntry extends MessageRef {
  at: number;
}

export interface Waiter {
  opts: ReceiveOptions;
  resolve(msgs: ReceivedMessage[]): void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
}

/** One queue's live state: its messages, the visible ones in arrival order, the timers and the long-polling receivers. */
export class LiveQueue {
  readonly messages = new Map<string, LiveMessage>();
  /** Visible messages in arrival order (entries whose generation moved on are skipped). */
  private ready: MessageRef[] = [];
  private readyHead = 0;
  /** When in-flight and delayed messages become visible. */
  readonly timers = new TimeHeap<TimerEntry>();
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

  applyPolicies(): void {
    this.redrive = this.attrs.RedrivePolicy ? parseRedrivePolicy(this.attrs.RedrivePolicy) : undefined;
    this.redriveAllow = this.attrs.RedriveAllowPolicy ? parseRedriveAllowPolicy(this.attrs.RedriveAllowPolicy) : undefined;
  }

  num(attr: string): number {
    return Number(this.attrs[attr] ?? SETTABLE_DEFAULTS[attr]);
  }

  /** Puts a stored message into the live state (sends, replays and moves all come through here). */
  admit(stored: StoredMessage, now: number): LiveMessage {
    // one object shape for every message keeps the hot paths monomorphic
    const m: LiveMessage = {
      messageId: stored.messageId,
      body: stored.body,
      sentTimestamp: stored.sentTimestamp,
      senderId: stored.senderId,
      enqueuedAt: stored.enqueuedAt,
      receiveCount: stored.receiveCount,
      firstReceiveTimestamp: stored.firstReceiveTimestamp,
      delayedUntil: stored.delayedUntil,
      deadLetterQueueSourceArn: stored.deadLetterQueueSourceArn,
      messageAttributes: stored.messageAttributes,
      systemAttributes: stored.systemAttributes,
      md5OfBody: md5Hex(stored.body),
      md5OfMessageAttributes: md5OfMessageAttributes(stored.messageAttributes),
      state: 'ready',
      generation: 0,
      receiptHandle: undefined,
    };
    this.messages.set(m.messageId, m);
    if (m.delayedUntil !== undefined && m.delayedUntil > now) {
      m.state = 'delayed';
      this.schedule(m, m.delayedUntil);
    } else {
      this.pushReady(m);
    }
    return m;
  }

  /** Takes a message out of the live state; entries still pointing at it go stale. */
  drop(m: LiveMessage): void {
    this.messages.delete(m.messageId);
    m.generation++;
  }

  /** Makes the message visible at `at` (its current visibility ends; older timers for it go stale). */
  schedule(m: LiveMessage, at: number): void {
    this.timers.push({ at, message: m, generation: m.generation });
  }

  /** Messages whose timer is due become visible. */
  releaseDue(now: number): void {
    for (let top = this.timers.peek(); top && top.at <= now; top = this.timers.peek()) {
      this.timers.pop();
      if (top.generation === top.message.generation && this.messages.get(top.message.messageId) === top.message) this.pushReady(top.message);
    }
  }

  pushReady(m: LiveMessage): void {
    m.state = 'ready';
    m.generation++;
    this.ready.push({ message: m, generation: m.generation });
  }

  shiftReady(): LiveMessage | undefined {
    while (this.readyHead < this.ready.length) {
      const e = this.ready[this.readyHead++];
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      if (e && this.isVisible(e)) return e.message;
    }
    return undefined;
  }

  /** The next visible message without taking it (stale entries ahead of it are dropped). */
  peekReady(): LiveMessage | undefined {
    for (let e = this.ready[this.readyHead]; e; e = this.ready[++this.readyHead]) if (this.isVisible(e)) return e.message;
    return undefined;
  }

  hasReady(): boolean {
    for (let i = this.readyHead; i < this.ready.length; i++) {
      const e = this.ready[i];
      if (e && this.isVisible(e)) return true;
    }
    return false;
  }

  /** PurgeQueue: every message goes at once. */
  clear(): void {
    this.messages.clear();
    this.ready = [];
    this.readyHead = 0;
    this.timers.clear();
  }

  counts(): QueueCounts {
    const c: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const m of this.messages.values()) {
      if (m.state === 'ready') c.visible++;
      else if (m.state === 'inflight') c.inFlight++;
      else c.delayed++;
    }
    return c;
  }

  private isVisible(e: MessageRef): boolean {
    return e.generation === e.message.generation && e.message.state === 'ready' && this.messages.get(e.message.messageId) === e.message;
  }
}

/** The stored part of a live message, with `changes` applied (moves to a DLQ and redrives). */
export function storedOf(m: LiveMessage, changes: Partial<StoredMessage> = {}): StoredMessage {
  return {
    messageId: m.messageId,
    body: m.body,
    sentTimestamp: m.sentTimestamp,
    senderId: m.senderId,
    enqueuedAt: m.enqueuedAt,
    receiveCount: m.receiveCount,
    firstReceiveTimestamp: m.firstReceiveTimestamp,
    delayedUntil: m.state === 'delayed' ? m.delayedUntil : undefined,
    deadLetterQueueSourceArn: m.deadLetterQueueSourceArn,
    messageAttributes: m.messageAttributes,
    systemAttributes: m.systemAttributes,
    ...changes,
  };
}

/** A received message as ReceiveMessage returns it. */
export function receivedView(m: LiveMessage, receiptHandle: string, now: number): ReceivedMessage {
  const attributes: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentTimestamp),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? now),
  };
  if (m.deadLetterQueueSourceArn) attributes.DeadLetterQueueSourceArn = m.deadLetterQueueSourceArn;
  if (m.systemAttributes?.AWSTraceHeader) attributes.AWSTraceHeader = m.systemAttributes.AWSTraceHeader;
  return {
    messageId: m.messageId,
    receiptHandle,
    body: m.body,
    md5OfBody: m.md5OfBody,
    attributes,
    messageAttributes: m.messageAttributes,
    md5OfMessageAttributes: m.md5OfMessageAttributes,
  };
}
