import { DEFAULTS } from '@lean-ops/contracts';

export interface RetryOptions {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  safetyMarginMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: DEFAULTS.firehoseMaxAttempts,
  baseMs: DEFAULTS.firehoseBackoffBaseMs,
  capMs: DEFAULTS.firehoseBackoffCapMs,
  safetyMarginMs: DEFAULTS.safetyMarginMs,
};

/** Full jitter (random in [0, min(cap, base * 2^n))): spreads re-sends of many containers apart. */
export function backoffDelay(retryNumber: number, random: () => number, opts: RetryOptions = DEFAULT_RETRY): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** retryNumber);
  return Math.floor(random() * ceiling);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: 'ATTEMPTS_EXHAUSTED' | 'OUT_OF_TIME' };

/**
 * After `attemptsMade` calls, may we call again? Only if attempts remain and, after sleeping, more than the
 * safety margin of the invocation is left (so the handler still returns its partial batch response in time).
 */
export function planRetry(attemptsMade: number, remainingMs: number, random: () => number, opts: RetryOptions = DEFAULT_RETRY): RetryDecision {
  if (attemptsMade >= opts.maxAttempts) return { retry: false, why: 'ATTEMPTS_EXHAUSTED' };
  const delayMs = backoffDelay(attemptsMade - 1, random, opts);
  if (remainingMs - delayMs < opts.safetyMarginMs) return { retry: false, why: 'OUT_OF_TIME' };
  return { retry: true, delayMs };
}

/** May a first call still start? */
export const hasTimeFor = (remainingMs: number, opts: RetryOptions = DEFAULT_RETRY) => remainingMs >= opts.safetyMarginMs;
