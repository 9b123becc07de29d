import type { BreakerState } from '@lean-ops/contracts';

export interface BreakerSnapshot {
  state: BreakerState;
  /** ms since epoch of the last change (HALF_OPEN: when probing started). */
  changedAt: number;
  /** ms since epoch when it last opened. */
  openedAt?: number;
}

/** Verdict of the HALF_OPEN probe, from the topic's checkpoint windows since it half-opened. */
export type ProbeVerdict = 'TRIP' | 'HEAL' | 'WAIT';

export type BreakerEvent = { type: 'ALARM'; now: number } | { type: 'OK'; now: number } | { type: 'TICK'; now: number; probe?: ProbeVerdict };

/** What the transition requires of the topic's event source mappings. */
export type BreakerAction = 'DISABLE' | 'ENABLE_PROBE' | 'RESTORE';

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  action: BreakerAction;
  reason: string;
  next: BreakerSnapshot;
}

export interface BreakerOptions {
  cooldownMs: number;
}

/** The breaker's whole state machine; null means "no change, touch nothing". */
export function nextBreakerState(current: BreakerSnapshot, event: BreakerEvent, opts: BreakerOptions): BreakerTransition | null {
  const open = (reason: string): BreakerTransition => ({
    from: current.state,
    to: 'OPEN',
    action: 'DISABLE',
    reason,
    next: { state: 'OPEN', changedAt: event.now, openedAt: event.now },
  });
  const close = (reason: string): BreakerTransition => ({
    from: current.state,
    to: 'CLOSED',
    action: 'RESTORE',
    reason,
    next: { state: 'CLOSED', changedAt: event.now, openedAt: current.openedAt },
  });
  switch (current.state) {
    case 'CLOSED':
      return event.type === 'ALARM' ? open('error-rate alarm fired') : null;
    case 'OPEN': {
      if (event.type !== 'TICK') return null;
      const since = current.openedAt ?? current.changedAt;
      if (event.now - since < opts.cooldownMs) return null;
      return {
        from: 'OPEN',
        to: 'HALF_OPEN',
        action: 'ENABLE_PROBE',
        reason: 'cool-down elapsed; probing at the lowest concurrency',
        next: { state: 'HALF_OPEN', changedAt: event.now, openedAt: current.openedAt },
      };
    }
    case 'HALF_OPEN':
      if (event.type === 'ALARM') return open('error-rate alarm fired while probing');
      if (event.type === 'OK') return close('error-rate alarm OK while probing');
      if (event.probe === 'TRIP') return open('probe error rate above threshold');
      if (event.probe === 'HEAL') return close('probe healthy for the probe period');
      return null;
  }
}

/** A checkpoint window's first-receive counts: the probe's input (CHECKPOINTS first_received / first_failed). */
export interface ProbeCounts {
  firstReceived: number;
  firstFailed: number;
}

export interface ProbeOptions {
  thresholdPercent: number;
  minErrors: number;
  /** How long HALF_OPEN must have lasted before it may close without an OK (the alarm only notifies on change). */
  probePeriodMs: number;
}

/**
 * Judges the probe from first-receive counts summed over the windows since HALF_OPEN, with the alarm's rule
 * (more than the threshold, at least minErrors). Retries of records that failed before the breaker opened are
 * left out: they fail again on their way to the DLQ whatever the topic's health now.
 */
export function evaluateProbe(windows: readonly ProbeCounts[], halfOpenedAt: number, now: number, opts: ProbeOptions): ProbeVerdict {
  const received = windows.reduce((s, w) => s + w.firstReceived, 0);
  const failed = windows.reduce((s, w) => s + w.firstFailed, 0);
  const ratePercent = received > 0 ? (100 * failed) / received : 0;
  if (failed >= opts.minErrors && ratePercent > opts.thresholdPercent) return 'TRIP';
  if (received > 0 && ratePercent <= opts.thresholdPercent && now - halfOpenedAt >= opts.probePeriodMs) return 'HEAL';
  return 'WAIT';
}
