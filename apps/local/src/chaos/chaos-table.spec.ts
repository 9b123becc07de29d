import { parseChaosArgs } from './chaos-args';
import { breakerPath, failedRow } from './chaos-row';
import { chaosExitCode, formatChaosTable } from './chaos-table';
import type { ChaosRow } from './chaos-types';
import { reopenedThroughHalfOpen, statePath } from './scenarios/poison-topic';

const row = (over: Partial<ChaosRow> = {}): ChaosRow => ({
  scenario: 'duplicate-delivery',
  sent: 300,
  raw: 270,
  quarantined: 0,
  archived: 0,
  duplicates: 28,
  lost: 0,
  breaker: '-',
  seconds: 1.44,
  checks: [{ name: 'lost = 0', ok: true }],
  ok: true,
  ...over,
});

describe('chaos table', () => {
  it('prints one aligned line per scenario under the column heads', () => {
    const lines = formatChaosTable([row(), row({ scenario: 'poison-topic', raw: 657, breaker: 'payments CLOSED>OPEN>HALF_OPEN>CLOSED' })]).split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['scenario', 'sent', 'RAW', 'quarantined', 'archived', 'duplicates', 'lost', 'breaker transitions', 'seconds', 'result']);
    expect(lines[2]).toMatch(/^duplicate-delivery\s+300\s+270\s+0\s+0\s+28\s+0\s+-\s+1\.4\s+ok$/);
    expect(lines[3]).toContain('payments CLOSED>OPEN>HALF_OPEN>CLOSED');
    expect(lines[2].indexOf('270') + 3).toBe(lines[3].indexOf('657') + 3);
  });

  it('names failed checks under the table', () => {
    const out = formatChaosTable([row({ ok: false, checks: [{ name: 'every record in RAW', ok: false, detail: 'RAW 1 of 2' }] })]);
    expect(out).toContain('duplicate-delivery: check failed: every record in RAW (RAW 1 of 2)');
  });

  it('exits non-zero when a row lost a message or failed a check, or nothing ran', () => {
    expect(chaosExitCode([row()])).toBe(0);
    expect(chaosExitCode([row(), row({ lost: 1 })])).toBe(1);
    expect(chaosExitCode([row({ ok: false })])).toBe(1);
    expect(chaosExitCode([failedRow('s', new Error('boom'), 1)])).toBe(1);
    expect(chaosExitCode([])).toBe(1);
  });
});

describe('breaker paths', () => {
  const t = (topic: string, from: string, to: string, at: string) => ({ topic, from, to, at, reason: '' });
  const transitions = [t('payments', 'OPEN', 'HALF_OPEN', '2026-11-26T08:00:10Z'), t('payments', 'CLOSED', 'OPEN', '2026-11-26T08:00:00Z'), t('payments', 'HALF_OPEN', 'CLOSED', '2026-11-26T08:00:20Z'), t('orders', 'CLOSED', 'OPEN', '2026-11-26T08:00:05Z')];

  it('orders transitions by time, per topic', () => {
    expect(breakerPath(transitions)).toBe('payments CLOSED>OPEN>HALF_OPEN>CLOSED; orders CLOSED>OPEN');
    expect(breakerPath([])).toBe('-');
    expect(statePath(transitions, 'payments')).toEqual(['CLOSED', 'OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('accepts only OPEN, then HALF_OPEN, ending CLOSED', () => {
    expect(reopenedThroughHalfOpen(['CLOSED', 'OPEN', 'HALF_OPEN', 'OPEN', 'HALF_OPEN', 'CLOSED'])).toBe(true);
    expect(reopenedThroughHalfOpen(['CLOSED', 'OPEN', 'HALF_OPEN'])).toBe(false);
    expect(reopenedThroughHalfOpen(['CLOSED', 'OPEN', 'CLOSED'])).toBe(false);
    expect(reopenedThroughHalfOpen([])).toBe(false);
  });
});

describe('chaos arguments', () => {
  const names = ['poison-topic', 'stack-killed'];
  it('reads --only, --size and --json', () => {
    expect(parseChaosArgs(['--only', 'poison-topic', '--size', '50', '--json'], names)).toEqual({ only: 'poison-topic', size: 50, json: true });
  });
  it('refuses an unknown scenario, a bad size and unknown flags', () => {
    expect(() => parseChaosArgs(['--only', 'nope'], names)).toThrow('no scenario "nope"');
    expect(() => parseChaosArgs(['--size', '0'], names)).toThrow('--size must be an integer > 0');
    expect(() => parseChaosArgs(['--fast'], names)).toThrow('unknown argument');
    expect(() => parseChaosArgs(['--only'], names)).toThrow('--only needs a value');
  });
});
