import { backoffDelay, hasTimeFor, planRetry, type RetryOptions } from './retry-plan';

const opts: RetryOptions = { maxAttempts: 3, baseMs: 50, capMs: 1000, safetyMarginMs: 2000 };

describe('retry plan', () => {
  it('uses full jitter under an exponential ceiling capped at capMs', () => {
    expect(backoffDelay(0, () => 0.999, opts)).toBe(49);
    expect(backoffDelay(3, () => 0.5, opts)).toBe(200);
    expect(backoffDelay(10, () => 0.999, opts)).toBe(999);
    expect(backoffDelay(2, () => 0, opts)).toBe(0);
  });

  it('retries while attempts remain', () => {
    expect(planRetry(1, 60_000, () => 0.5, opts)).toEqual({ retry: true, delayMs: 25 });
    expect(planRetry(2, 60_000, () => 0.5, opts)).toEqual({ retry: true, delayMs: 50 });
    expect(planRetry(3, 60_000, () => 0.5, opts)).toEqual({ retry: false, why: 'ATTEMPTS_EXHAUSTED' });
  });

  it('stops when sleeping would eat into the safety margin', () => {
    expect(planRetry(1, 2010, () => 0.999, opts)).toEqual({ retry: false, why: 'OUT_OF_TIME' });
    expect(planRetry(1, 2060, () => 0.999, opts)).toEqual({ retry: true, delayMs: 49 });
  });

  it('starts a call only with the margin left', () => {
    expect(hasTimeFor(1999, opts)).toBe(false);
    expect(hasTimeFor(2000, opts)).toBe(true);
  });
});
