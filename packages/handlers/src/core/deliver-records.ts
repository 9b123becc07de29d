import type { Disposition, Reason } from '@lean-ops/contracts';
import { bisect } from './bisect';
import { classifyError, errorMessage } from './classify-error';
import { DEFAULT_RETRY, hasTimeFor, planRetry, type RetryOptions } from './retry-plan';

/** One PutRecordBatch entry's result, aligned with the records sent. */
export type PutEntryResult = { ok: true } | { ok: false; errorCode: string; errorMessage?: string };

export type DeliveryOutcome = { status: 'delivered' } | { status: 'failed'; disposition: Disposition; reason: Reason; detail: string };

export interface DeliveryDeps<T> {
  /** One call; throws on a whole-call error. */
  put: (records: readonly T[]) => Promise<PutEntryResult[]>;
  remainingMs: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  retry?: RetryOptions;
}

const failed = (disposition: Disposition, reason: Reason, detail: string): DeliveryOutcome => ({ status: 'failed', disposition, reason, detail });

/**
 * Delivers one planned batch: per-record failures (FailedPutCount > 0 on a successful call) are re-sent, only
 * those, with full-jitter backoff while attempts and time remain, then RETRY; transient whole-call errors are
 * retried the same way; a whole-call rejection is bisected. Never throws: every record gets an outcome.
 */
export async function deliverRecords<T>(records: readonly T[], deps: DeliveryDeps<T>): Promise<DeliveryOutcome[]> {
  const opts = deps.retry ?? DEFAULT_RETRY;
  const isRejection = (err: unknown) => classifyError(err).disposition === 'DROP';
  const judgeSingle = (_: T, err: unknown) => {
    const c = classifyError(err);
    return failed(c.disposition, c.reason, errorMessage(err));
  };

  const sendWithRetries = async (batch: readonly T[]): Promise<DeliveryOutcome[]> => {
    const out: Array<DeliveryOutcome | undefined> = new Array(batch.length);
    // each pending record with its position in the batch (and in `out`)
    let pending = batch.map((record, at) => ({ at, record }));
    let calls = 0;
    while (pending.length > 0) {
      if (!hasTimeFor(deps.remainingMs(), opts)) {
        for (const p of pending) out[p.at] = failed('RETRY', 'TIMEOUT', 'invocation time budget exhausted');
        break;
      }
      const sending = pending.map((p) => p.record);
      let results: PutEntryResult[];
      try {
        calls++;
        results = await deps.put(sending);
      } catch (err) {
        const c = classifyError(err);
        if (c.disposition === 'DROP') {
          // Nothing of this batch was delivered yet: let the caller split it. A refused re-send is split here.
          if (calls === 1 && pending.length === batch.length) throw err;
          const sub = await bisect(sending, sendWithRetries, isRejection, judgeSingle);
          pending.forEach((p, k) => (out[p.at] = sub[k]));
          break;
        }
        const decision = planRetry(calls, deps.remainingMs(), deps.random, opts);
        if (!decision.retry) {
          for (const p of pending) out[p.at] = failed(c.disposition, c.reason, `${errorMessage(err)} (${decision.why})`);
          break;
        }
        await deps.sleep(decision.delayMs);
        continue;
      }
      const next: typeof pending = [];
      let lastError = '';
      pending.forEach((p, k) => {
        const r = results[k];
        if (r?.ok) out[p.at] = { status: 'delivered' };
        else {
          // A response shorter than the request would leave records without an outcome: treat them as failed.
          next.push(p);
          if (r) lastError = `${r.errorCode}: ${r.errorMessage ?? ''}`;
        }
      });
      pending = next;
      if (pending.length === 0) break;
      const decision = planRetry(calls, deps.remainingMs(), deps.random, opts);
      if (!decision.retry) {
        for (const p of pending) out[p.at] = failed('RETRY', 'FIREHOSE_RECORD_FAILED', `${lastError} (${decision.why})`);
        break;
      }
      await deps.sleep(decision.delayMs);
    }
    return out.map((o) => o ?? failed('RETRY', 'UNKNOWN', 'no outcome'));
  };

  try {
    return await bisect(records, sendWithRetries, isRejection, judgeSingle);
  } catch (err) {
    const c = classifyError(err);
    return records.map(() => failed('RETRY', c.disposition === 'RETRY' ? c.reason : 'UNKNOWN', errorMessage(err)));
  }
}
