import { MESSAGE_FIELDS, type Fault } from '@lean-ops/contracts';

/** What the stand-in needs from the fault registry (faults/fault-registry.ts). */
export interface FaultLookup {
  faultFor(messageId: string): Fault | undefined;
  consumeOnce(messageId: string, fault: Fault): boolean;
}

/** Chaos settings changed at run time (scenarios), on top of per-message faults. */
export interface FirehoseChaos {
  /** Share of records that fail per record on an otherwise successful call (FailedPutCount > 0). */
  perRecordFailureRate?: number;
  /** Until this epoch ms every call is throttled as a whole. */
  throttleUntil?: number;
}

export type RecordFailure = { errorCode: 'ServiceUnavailableException' | 'InternalFailure'; errorMessage: string };

export type CallDecision = { kind: 'reject'; message: string } | { kind: 'throttle' } | { kind: 'accept'; failures: Array<RecordFailure | undefined> };

const SLOW_DOWN: RecordFailure = { errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down.' };
const INTERNAL: RecordFailure = { errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' };

/** The producer's message_id of a RAW row (the key faults are registered under). */
export function messageIdOf(parsed: { value: unknown } | undefined): string | undefined {
  const v = parsed?.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const id = (v as Record<string, unknown>)[MESSAGE_FIELDS.messageId];
  return typeof id === 'string' ? id : undefined;
}

/**
 * Decides how one PutRecordBatch call fails, if at all:
 * - `firehose_reject` on any record: the whole call fails with InvalidArgumentException, every time;
 * - `throttleUntil` in the future: the whole call is throttled (ServiceUnavailableException, as Firehose answers);
 * - `firehose_throttle_once`: that record's first attempt fails per record with ServiceUnavailableException;
 * - `processing_error`: that record fails per record every time with a transient InternalFailure;
 * - `perRecordFailureRate`: random records fail per record with ServiceUnavailableException.
 */
export function decideCall(messageIds: Array<string | undefined>, faults: FaultLookup | undefined, chaos: FirehoseChaos, now: number, random: () => number = Math.random): CallDecision {
  if (faults) {
    const rejected = messageIds.findIndex((id) => id !== undefined && faults.faultFor(id) === 'firehose_reject');
    if (rejected >= 0) return { kind: 'reject', message: `Record ${rejected} of the batch was rejected by the delivery stream.` };
  }
  if (chaos.throttleUntil !== undefined && now < chaos.throttleUntil) return { kind: 'throttle' };
  const rate = chaos.perRecordFailureRate ?? 0;
  const failures = messageIds.map((id): RecordFailure | undefined => {
    const fault = id !== undefined ? faults?.faultFor(id) : undefined;
    if (fault === 'processing_error') return INTERNAL;
    if (fault === 'firehose_throttle_once' && faults!.consumeOnce(id!, fault)) return SLOW_DOWN;
    if (rate > 0 && random() < rate) return SLOW_DOWN;
    return undefined;
  });
  return { kind: 'accept', failures };
}
