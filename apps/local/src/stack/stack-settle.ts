import type { FirehoseService } from '../firehose';
import { computeActivity, type EventSourceMappings, type LambdaRuntime } from '../lambda';
import type { StackPlan } from '../plan/stack-plan-of';
import type { SnsService } from '../sns';
import type { QueueStore } from '../sqs';
import type { LocalStack, StackActivity } from './local-stack-types';
import type { RestartableServer } from './restartable-server';
import type { SentLedger } from './sent-ledger';
import { settleProgress } from './settle-progress';

const SETTLE_POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What is moving in the stack right now: queues, mappings, invocations, the Firehose buffer, storage outages. */
export function stackActivity(o: {
  store: QueueStore;
  esm: EventSourceMappings;
  runtime: LambdaRuntime;
  firehose: FirehoseService;
  streamName: string;
  s3Server: RestartableServer;
  dynamoServer: RestartableServer;
}): () => Promise<StackActivity> {
  return async () => {
    const compute = computeActivity(o.store, o.esm, o.runtime);
    const st = o.firehose.stats(o.streamName);
    const fh = {
      bufferedRows: st.bufferedRows,
      failingRows: st.failingRows,
      incomingRows: st.IncomingRowCount,
      successfulRows: st.SuccessfulRowCount,
      failedRows: st.FailedRowCount,
      commits: st.commits,
      calls: st.calls,
    };
    return { ...compute, firehose: fh, idle: compute.idle && fh.bufferedRows === 0 && fh.failingRows === 0, s3Down: o.s3Server.down, dynamoDown: o.dynamoServer.down };
  };
}

export interface SettleDeps {
  activity: () => Promise<StackActivity>;
  plan: StackPlan;
  ledger: SentLedger;
  firehose: FirehoseService;
  sns: SnsService;
  syncMirror: () => Promise<void>;
  /** When the stack started (the clock of progress before this run's first send). */
  started: number;
}

/** Sent and settled so far. */
export const progressOf = (d: SettleDeps, a: StackActivity) => settleProgress(a, d.plan, d.ledger.sentThisRun, Date.now() - (d.ledger.firstAtThisRun ?? d.started));

/** Waits until nothing moves twice in a row, flushing Firehose's buffer once the queues are quiet. */
export async function waitForSettled(d: SettleDeps, o: Parameters<LocalStack['waitForSettled']>[0] = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 10 * 60_000);
  let quietChecks = 0;
  for (;;) {
    const a = await d.activity();
    o.onProgress?.(progressOf(d, a));
    const queuesQuiet = Object.values(a.queues).every((q) => q.visible + q.inFlight + q.delayed === 0) && Object.values(a.mappings).every((m) => m.inFlight === 0);
    // A failed commit is logged (onError) and retried; its records reach the error output after the retry duration.
    if (queuesQuiet && a.firehose.bufferedRows > 0) await d.firehose.flush().catch(() => undefined);
    // Records that do not fit the table wait out the retry duration before the error output, as on AWS.
    if (queuesQuiet && a.firehose.bufferedRows === 0 && a.firehose.failingRows > 0) await d.firehose.drain().catch(() => undefined);
    quietChecks = a.idle && !a.s3Down && !a.dynamoDown ? quietChecks + 1 : 0;
    // Twice in a row: a mapping's poll may be between receiving and invoking at one look.
    if (quietChecks >= 2) {
      await d.sns.idle();
      await d.firehose.flush().catch(() => undefined);
      await d.syncMirror();
      return;
    }
    if (Date.now() > deadline) throw new Error(`not settled after ${o.timeoutMs ?? 600_000} ms: ${JSON.stringify(settleProgress(a, d.plan, d.ledger.sentThisRun, Date.now() - d.started))}`);
    await sleep(SETTLE_POLL_MS);
  }
}
