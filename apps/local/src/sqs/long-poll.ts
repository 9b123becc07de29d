import type { LiveQueue, Waiter } from './live-queue';
import type { ReceiveOptions, ReceivedMessage, TakeOptions } from './queue-types';

/** What long polling needs from the store. */
export interface LongPollHost {
  /** Receives what is visible now. */
  take(q: LiveQueue, opts: TakeOptions): ReceivedMessage[];
  /** Makes due messages visible. */
  tick(q: LiveQueue): void;
  /** False once the queue was deleted (a late timer must not touch it). */
  isLive(q: LiveQueue): boolean;
  clock(): number;
}

/**
 * Receivers waiting on empty queues (ReceiveMessage with WaitTimeSeconds): each is answered as soon as a message is
 * visible, when its wait ends (with a last look), or with nothing when its signal aborts or the queue goes.
 */
export class LongPolls {
  constructor(private readonly host: LongPollHost) {}

  /** Waits up to opts.waitMs for the queue to have visible messages. */
  wait(q: LiveQueue, opts: ReceiveOptions): Promise<ReceivedMessage[]> {
    return new Promise<ReceivedMessage[]>((resolve) => {
      const w: Waiter = { opts, resolve };
      w.timer = setTimeout(() => {
        this.unlist(q, w);
        // a last look: a message may have become visible at the very end of the wait
        this.finish(w, this.host.isLive(q) ? this.host.take(q, opts) : []);
      }, opts.waitMs);
      if (opts.signal) {
        w.onAbort = () => {
          this.unlist(q, w);
          this.finish(w, []);
        };
        opts.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      q.waiters.push(w);
      this.armWake(q);
    });
  }

  /** Answers waiting receivers while the queue has visible messages. */
  serve(q: LiveQueue): void {
    for (let w = q.waiters[0]; w && q.hasReady(); w = q.waiters[0]) {
      q.waiters.shift();
      this.finish(w, this.host.take(q, w.opts));
    }
    this.armWake(q);
  }

  /** Serves on the next turn of the event loop (the caller is in the middle of another queue's receive). */
  serveLater(q: LiveQueue): void {
    if (q.waiters.length > 0) setImmediate(() => this.host.isLive(q) && this.serve(q));
  }

  /** Answers every waiter with nothing and stops the wake timer (the queue is deleted or the store closes). */
  cancelAll(q: LiveQueue): void {
    for (const w of q.waiters.splice(0)) this.finish(w, []);
    if (q.wakeTimer) clearTimeout(q.wakeTimer);
  }

  /** While receivers wait, wake up when the next in-flight or delayed message becomes visible. */
  armWake(q: LiveQueue): void {
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
        if (!this.host.isLive(q)) return;
        this.host.tick(q);
        this.serve(q);
      },
      Math.max(0, top.at - this.host.clock()) + 1,
    );
  }

  private unlist(q: LiveQueue, w: Waiter): void {
    const i = q.waiters.indexOf(w);
    if (i >= 0) q.waiters.splice(i, 1);
  }

  private finish(w: Waiter, msgs: ReceivedMessage[]): void {
    if (w.timer) clearTimeout(w.timer);
    if (w.onAbort) w.opts.signal?.removeEventListener('abort', w.onAbort);
    w.resolve(msgs);
  }
}
