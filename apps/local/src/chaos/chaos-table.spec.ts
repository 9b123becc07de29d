import { breakerPath, failedRow } from './chaos-row';
import { chaosExitCode, formatChaosTable, verdictLine } from './chaos-table';
import type { ChaosRow } from './chaos-types';
import { reopenedThroughHalfOpen, statePath } from './scenarios/poison-topic';
import assert from 'node:assert/strict';

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
    expect(lines[0]?.split(/\s{2,}/)).toEqual(['scenario', 'sent', 'RAW', 'quarantined', 'archived', 'duplicates', 'lost', 'breaker transitions', 'seconds', 'result']);
    expect(lines[2]).toMatch(/^duplicate-delivery\s+300\s+270\s+0\s+0\s+28\s+0\s+-\s+1\.4\s+ok$/);
    expect(lines[3]).toContain('payments CLOSED>OPEN>HALF_OPEN>CLOSED');
    const [, , first, second] = lines;
    assert(first && second);
    expect(first.indexOf('270') + 3).toBe(second.indexOf('657') + 3);
  });

  it('says in the row which expectation failed, then every failed one with its numbers, then the verdict', () => {
    const failing = row({
      scenario: 'poison-topic',
      ok: false,
      checks: [
        { name: 'lost = 0', ok: true },
        { name: 'every record in RAW', ok: false, detail: 'RAW 1 of 2' },
        { name: 'payments breaker ends CLOSED', ok: false, detail: 'HALF_OPEN' },
      ],
    });
    const lines = formatChaosTable([row(), failing]).split('\n');
    expect(lines[2]).toMatch(/\sok$/);
    expect(lines[3]).toMatch(/^poison-topic\s.*\sFAIL: every record in RAW \(\+1 more\)$/);
    expect(lines).toContain('FAIL poison-topic: every record in RAW: RAW 1 of 2');
    expect(lines).toContain('FAIL poison-topic: payments breaker ends CLOSED: HALF_OPEN');
    expect(lines[lines.length - 1]).toBe('chaos: 1/2 scenarios ok, FAILED: poison-topic');
  });

  it('fails a row that lost messages even when its checks passed, and one that threw', () => {
    const out = formatChaosTable([row({ lost: 3 }), failedRow('stack-killed', new Error('serve exited'), 2)]);
    expect(out).toContain('FAIL duplicate-delivery: lost = 0: lost 3');
    expect(out).toContain('FAIL stack-killed: scenario ran: serve exited');
    expect(out.split('\n').pop()).toBe('chaos: 0/2 scenarios ok, FAILED: duplicate-delivery, stack-killed');
  });

  it('ends with the verdict when everything held', () => {
    expect(
      formatChaosTable([row(), row({ note: 'a note' })])
        .split('\n')
        .slice(-2),
    ).toEqual(['duplicate-delivery: a note', 'chaos: 2/2 scenarios ok']);
    expect(verdictLine([])).toBe('chaos: no scenario ran: FAILED');
  });

  it('exits non-zero when a row lost a message or failed a check, or nothing ran', () => {
    expect(chaosExitCode([row()])).toBe(0);
    expect(chaosExitCode([row(), row({ lost: 1 })])).toBe(1);
    expect(chaosExitCode([row({ ok: false })])).toBe(1);
    expect(chaosExitCode([row({ checks: [{ name: 'x', ok: false }] })])).toBe(1);
    expect(chaosExitCode([failedRow('s', new Error('boom'), 1)])).toBe(1);
    expect(chaosExitCode([])).toBe(1);
  });
});

describe('breaker paths', () => {
  const t = (topic: string, from: string, to: string, at: string) => ({ topic, from, to, at, reason: '' });
  const transitions = [
    t('payments', 'OPEN', 'HALF_OPEN', '2026-11-26T08:00:10Z'),
    t('payments', 'CLOSED', 'OPEN', '2026-11-26T08:00:00Z'),
    t('payments', 'HALF_OPEN', 'CLOSED', '2026-11-26T08:00:20Z'),
    t('orders', 'CLOSED', 'OPEN', '2026-11-26T08:00:05Z'),
  ];

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
