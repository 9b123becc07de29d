import { evaluateProbe, nextBreakerState, type BreakerSnapshot } from './breaker-state';

const opts = { cooldownMs: 300_000 };
const closed: BreakerSnapshot = { state: 'CLOSED', changedAt: 0 };
const open: BreakerSnapshot = { state: 'OPEN', changedAt: 1000, openedAt: 1000 };
const half: BreakerSnapshot = { state: 'HALF_OPEN', changedAt: 400_000, openedAt: 1000 };

describe('nextBreakerState', () => {
  it('CLOSED -ALARM-> OPEN (disable)', () => {
    expect(nextBreakerState(closed, { type: 'ALARM', now: 5 }, opts)).toMatchObject({ from: 'CLOSED', to: 'OPEN', action: 'DISABLE', next: { state: 'OPEN', openedAt: 5 } });
  });
  it('CLOSED ignores OK and TICK', () => {
    expect(nextBreakerState(closed, { type: 'OK', now: 5 }, opts)).toBeNull();
    expect(nextBreakerState(closed, { type: 'TICK', now: 5, probe: 'TRIP' }, opts)).toBeNull();
  });
  it('OPEN waits for the cool-down, then HALF_OPEN (probe)', () => {
    expect(nextBreakerState(open, { type: 'TICK', now: 300_999 }, opts)).toBeNull();
    expect(nextBreakerState(open, { type: 'TICK', now: 301_000 }, opts)).toMatchObject({ to: 'HALF_OPEN', action: 'ENABLE_PROBE', next: { changedAt: 301_000 } });
  });
  it('OPEN ignores alarm notifications', () => {
    expect(nextBreakerState(open, { type: 'ALARM', now: 999_999 }, opts)).toBeNull();
    expect(nextBreakerState(open, { type: 'OK', now: 999_999 }, opts)).toBeNull();
  });
  it('HALF_OPEN -OK-> CLOSED (restore), -ALARM-> OPEN', () => {
    expect(nextBreakerState(half, { type: 'OK', now: 401_000 }, opts)).toMatchObject({ to: 'CLOSED', action: 'RESTORE' });
    expect(nextBreakerState(half, { type: 'ALARM', now: 401_000 }, opts)).toMatchObject({ to: 'OPEN', action: 'DISABLE', next: { openedAt: 401_000 } });
  });
  it('HALF_OPEN follows the probe on TICK', () => {
    expect(nextBreakerState(half, { type: 'TICK', now: 401_000, probe: 'TRIP' }, opts)).toMatchObject({ to: 'OPEN' });
    expect(nextBreakerState(half, { type: 'TICK', now: 401_000, probe: 'HEAL' }, opts)).toMatchObject({ to: 'CLOSED' });
    expect(nextBreakerState(half, { type: 'TICK', now: 401_000, probe: 'WAIT' }, opts)).toBeNull();
    expect(nextBreakerState(half, { type: 'TICK', now: 401_000 }, opts)).toBeNull();
  });
});

describe('evaluateProbe', () => {
  const p = { thresholdPercent: 50, minErrors: 10, probePeriodMs: 300_000 };
  const w = (firstReceived: number, firstFailed: number) => ({ firstReceived, firstFailed });
  it('trips on a high first-attempt error rate with enough errors', () => {
    expect(evaluateProbe([w(15, 12), w(5, 0)], 0, 1, p)).toBe('TRIP');
  });
  it('trips a poison topic: every new record fails', () => {
    expect(evaluateProbe([w(10, 10)], 0, 1, p)).toBe('TRIP');
  });
  it('does not trip on few errors, however high the rate', () => {
    expect(evaluateProbe([w(9, 9)], 0, 1, p)).toBe('WAIT');
  });
  it('ignores a tail of retries of older failures (all receives failed, no first attempt failed)', () => {
    // What a checkpoint window holds then: received 20, retried 20, but first_received 30, first_failed 0.
    const windows = [{ received: 50, retried: 20, ...w(30, 0) }];
    expect(evaluateProbe(windows, 0, 1, p)).toBe('WAIT');
    expect(evaluateProbe(windows, 0, 300_000, p)).toBe('HEAL');
    const onlyRetries = { received: 20, retried: 20, ...w(0, 0) };
    expect(evaluateProbe([onlyRetries], 0, 10_000_000, p)).toBe('WAIT');
  });
  it('heals after the probe period with new traffic below the threshold', () => {
    expect(evaluateProbe([w(100, 5)], 0, 299_999, p)).toBe('WAIT');
    expect(evaluateProbe([w(100, 5)], 0, 300_000, p)).toBe('HEAL');
  });
  it('does not heal without new traffic', () => {
    expect(evaluateProbe([], 0, 10_000_000, p)).toBe('WAIT');
    expect(evaluateProbe([w(0, 0)], 0, 10_000_000, p)).toBe('WAIT');
  });
});
