import type { StackPlan } from '../plan/stack-plan-of';

export interface Progress {
  /** Messages the topic queues accepted since this stack started. */
  sent: number;
  /** Of those, how many left the pipeline (in the table, quarantined, archived or in the error output), approximately. */
  settled: number;
  /** Messages in the topic queues (visible, in flight or delayed). */
  queued: number;
  /** Messages in the DLQ. */
  dlq: number;
  /** Records Firehose holds (buffered for the next commit, or waiting to go to the error output). */
  buffered: number;
  /** Committed RAW rows so far (this run of the stack). */
  committedRows: number;
  elapsedMs: number;
}

interface ActivityLike {
  queues: Record<string, { visible: number; inFlight: number; delayed: number }>;
  firehose: { bufferedRows: number; failingRows: number; successfulRows: number };
}

/** Progress from one activity snapshot: whatever is not in a queue or a Firehose buffer has settled. */
export function settleProgress(a: ActivityLike, plan: Pick<StackPlan, 'topicQueues' | 'dlq'>, sent: number, elapsedMs: number): Progress {
  const depth = (name: string) => {
    const q = a.queues[name];
    return q ? q.visible + q.inFlight + q.delayed : 0;
  };
  const queued = plan.topicQueues.reduce((n, q) => n + depth(q.name), 0);
  const dlq = depth(plan.dlq.name);
  const buffered = a.firehose.bufferedRows + a.firehose.failingRows;
  return {
    sent,
    settled: Math.max(0, sent - queued - dlq - buffered),
    queued,
    dlq,
    buffered,
    committedRows: a.firehose.successfulRows,
    elapsedMs,
  };
}
