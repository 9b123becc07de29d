/**
 * Crash isolation, pure part. An invocation that ends without a response (crash, out of memory, killed, timed out)
 * returns its whole batch; SQS only tells us the receive count. These functions turn a record's marker (what
 * earlier invocations wrote), the state a re-queued copy carries and the careful run's progress into a decision.
 */

export interface CrashState {
  /** Invocations that ended without a response while holding the record. */
  crashes: number;
  /** Of those, invocations that died while this very record was being processed (it is responsible). */
  pins: number;
}

/** What earlier receives wrote about one SQS message (all optional: an absent marker is the first receive). */
export interface RecordMarker {
  seenReceive?: number;
  answeredReceive?: number;
  crashCount?: number;
  crashPins?: number;
  runId?: string;
  runSeq?: number;
  runReceive?: number;
  /** The SQS message id this re-queued copy was made from (kept when the marker is rewritten). */
  requeueOf?: string;
}

/**
 * A careful run's progress: the group of positions [last, end) being processed, -1 once all were processed. A group
 * of one pins its record; a larger group only makes its records suspects (processed alone next time).
 */
export interface RunMarker {
  last?: number;
  end?: number;
}

export interface CrashAssessment {
  state: CrashState;
  /** The record came back from an invocation that never answered (or is a re-queued copy not yet answered). */
  returned: boolean;
  /** It was in the group a careful run died in, or was pinned before: it runs alone, first. */
  suspect: boolean;
}

/**
 * Receives since the marker was written, minus the one answered among them, are invocations that never answered
 * for the record. Pinned: it was the record a careful run was processing alone when that run's invocation died.
 */
export function assessCrash(receiveCount: number, marker: RecordMarker | undefined, carried: CrashState | undefined, run: RunMarker | undefined): CrashAssessment {
  const m = marker ?? {};
  const since = m.seenReceive ?? 1;
  const answeredSince = m.answeredReceive !== undefined && m.answeredReceive >= since && m.answeredReceive < receiveCount;
  const unanswered = Math.max(0, receiveCount - since - (answeredSince ? 1 : 0));
  const groupEnd = run?.end ?? (run?.last ?? 0) + 1;
  const inCrashedGroup =
    unanswered > 0 &&
    m.runId !== undefined &&
    m.runReceive === since &&
    m.answeredReceive !== since &&
    run?.last !== undefined &&
    m.runSeq !== undefined &&
    m.runSeq >= run.last &&
    m.runSeq < groupEnd;
  const pinned = inCrashedGroup && groupEnd - (run?.last ?? 0) === 1;
  const state = {
    crashes: (m.crashCount ?? carried?.crashes ?? 0) + unanswered,
    pins: (m.crashPins ?? carried?.pins ?? 0) + (pinned ? 1 : 0),
  };
  // A re-queued copy starts at receive count 1 but is still a suspect until an invocation answers for it.
  const carriedSuspect = carried !== undefined && carried.crashes > 0 && m.answeredReceive === undefined;
  const returned = unanswered > 0 || carriedSuspect;
  return { state, returned, suspect: returned && (inCrashedGroup || state.pins > 0) };
}

/** `deferred`: not read in time, returned unmarked (never produced by planCareful). */
export type CarefulPlan = 'quarantine' | 'requeue' | 'run' | 'normal' | 'deferred';

export interface CarefulLimits {
  /** Pins before a record is quarantined as CRASHED_RUNTIME. */
  quarantineAfter: number;
  maxReceiveCount: number;
  /** Crashes after which a record is no longer re-queued and follows the queue's redrive policy (DLQ). */
  requeueLimit: number;
}

/**
 * - responsible N times: quarantine, without processing it again;
 * - returned on its last receive: re-queue a copy (receive count starts again) rather than risk another crash
 *   sending it and its innocent batch-mates to the DLQ;
 * - returned: process it in the careful run, one record at a time behind a progress marker;
 * - anything else: the normal path.
 */
export function planCareful(receiveCount: number, a: CrashAssessment, limits: CarefulLimits): CarefulPlan {
  if (!a.returned) return 'normal';
  if (a.state.pins >= limits.quarantineAfter) return 'quarantine';
  if (receiveCount >= limits.maxReceiveCount && a.state.crashes < limits.requeueLimit) return 'requeue';
  return 'run';
}

/**
 * `<crashes>:<pins>[:<original SQS message id>]`, the re-queued copy's message attribute. The copy names its original
 * itself: a link written beside the send could be overwritten by the copy's own first marker, which may come first.
 */
export const formatCrashState = (s: CrashState, requeuedFrom?: string) => `${s.crashes}:${s.pins}${requeuedFrom ? `:${requeuedFrom}` : ''}`;

const CRASH_STATE = /^(\d{1,6}):(\d{1,6})(?::([A-Za-z0-9-]{1,100}))?$/;

export function parseCrashState(text: string | undefined): CrashState | undefined {
  const m = CRASH_STATE.exec(text ?? '');
  return m ? { crashes: Number(m[1]), pins: Number(m[2]) } : undefined;
}

/** The SQS message id a re-queued copy was made from, if the attribute names it. */
export const requeuedFromOf = (text: string | undefined): string | undefined => CRASH_STATE.exec(text ?? '')?.[3];
