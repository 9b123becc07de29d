import { randomUUID } from 'node:crypto';
import type { LiveMessage, LiveQueue } from './live-queue';
import type { MoveTask } from './queue-types';
import type { StoredMessage } from './stored-message';
import { SqsError, invalidParameter } from './sqs-errors';

/** What a move task needs from the store. */
export interface MoveHost {
  queueByArn(arn: string): LiveQueue | undefined;
  /** Some queue's RedrivePolicy targets this one. */
  isDeadLetterQueue(q: LiveQueue): boolean;
  tick(q: LiveQueue): void;
  /** Moves one message durably (target journal first). */
  move(src: LiveQueue, target: LiveQueue, m: LiveMessage, changes: Partial<StoredMessage>): void;
  flush(): void;
  serveWaiters(q: LiveQueue): void;
  clock(): number;
}

const notFound = (param: string) => new SqsError('ResourceNotFoundException', `The resource that you specified for the ${param} parameter doesn't exist.`);

/** StartMessageMoveTask / ListMessageMoveTasks: DLQ redrive, run to completion at once. */
export class MessageMoveTasks {
  private readonly tasks: MoveTask[] = [];

  constructor(private readonly host: MoveHost) {}

  /**
   * Moves every visible message of a dead-letter queue to DestinationArn, or back to the queue each came
   * from (DeadLetterQueueSourceArn). Runs to completion at once; the task is listed as COMPLETED.
   */
  start(sourceArn: string, destinationArn?: string): MoveTask {
    const src = this.host.queueByArn(sourceArn);
    if (!src) throw notFound('SourceArn');
    if (!this.host.isDeadLetterQueue(src) && ![...src.messages.values()].some((m) => m.deadLetterQueueSourceArn)) {
      throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
    }
    let dest: LiveQueue | undefined;
    if (destinationArn) {
      dest = this.host.queueByArn(destinationArn);
      if (!dest) throw notFound('DestinationArn');
    }
    this.host.tick(src);
    const task: MoveTask = {
      taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString('base64'),
      status: 'RUNNING',
      sourceArn,
      destinationArn,
      approximateNumberOfMessagesMoved: 0,
      approximateNumberOfMessagesToMove: 0,
      startedTimestamp: this.host.clock(),
    };
    const candidates: LiveMessage[] = [];
    for (let m = src.shiftReady(); m; m = src.shiftReady()) candidates.push(m);
    task.approximateNumberOfMessagesToMove = candidates.length;
    task.approximateNumberOfMessagesMoved = this.moveAll(src, candidates, dest);
    task.status = task.approximateNumberOfMessagesMoved === candidates.length ? 'COMPLETED' : 'FAILED';
    if (task.status === 'FAILED') task.failureReason = 'Some messages have no existing source queue to return to.';
    this.tasks.push(task);
    return task;
  }

  /** The tasks of a source queue, the latest first. */
  list(sourceArn: string): MoveTask[] {
    return this.tasks.filter((t) => t.sourceArn === sourceArn).reverse();
  }

  /** Moves each message to `dest` or back to its source queue; one without either stays visible. Returns how many moved. */
  private moveAll(src: LiveQueue, candidates: LiveMessage[], dest: LiveQueue | undefined): number {
    const touched = new Set<LiveQueue>();
    let moved = 0;
    for (const m of candidates) {
      const target = dest ?? (m.deadLetterQueueSourceArn ? this.host.queueByArn(m.deadLetterQueueSourceArn) : undefined);
      if (!target) {
        src.pushReady(m);
        continue;
      }
      // Redriven messages start over: the receive count resets, the original MessageId and SentTimestamp stay.
      this.host.move(src, target, m, { receiveCount: 0, firstReceiveTimestamp: undefined, deadLetterQueueSourceArn: undefined });
      touched.add(target);
      moved++;
    }
    this.host.flush();
    for (const t of touched) this.host.serveWaiters(t);
    return moved;
  }
}
