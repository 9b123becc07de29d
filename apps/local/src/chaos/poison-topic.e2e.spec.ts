import { performance } from 'node:perf_hooks';
import type { Report } from '../report/report-types';
import { chaosRow } from './chaos-row';
import type { ChaosRow } from './chaos-types';
import { poisonTopic } from './scenarios/poison-topic';

const POISON = 'payments';
const HEALTHY = ['orders', 'clickstream'];

describe('chaos: a poison topic', () => {
  const logs: string[] = [];
  let row: ChaosRow;
  let report: Report;

  beforeAll(async () => {
    const started = performance.now();
    const outcome = await poisonTopic.run({ size: 300, log: () => undefined, stackLog: (l) => logs.push(l) });
    report = outcome.report;
    row = chaosRow(poisonTopic.name, outcome, (performance.now() - started) / 1000);
  });

  it('8. trips only its own breaker, the healthy topics flow, and it closes through HALF_OPEN', () => {
    expect(row.checks.filter((c) => !c.ok)).toEqual([]);
    expect(row.lost).toBe(0);
    expect(row.sent).toBeGreaterThan(0);
    expect(row.breaker).toMatch(/^payments CLOSED>OPEN>.*HALF_OPEN>CLOSED$/);
  });

  it('opens, half-opens and closes the poison topic breaker, in that order', () => {
    const seen = report.breaker.transitions.filter((t) => t.topic === POISON).map((t) => `${t.from}->${t.to}`);
    const firstOpen = seen.indexOf('CLOSED->OPEN');
    const halfOpen = seen.indexOf('OPEN->HALF_OPEN', firstOpen);
    const closed = seen.indexOf('HALF_OPEN->CLOSED', halfOpen);
    expect({ seen, firstOpen, ok: firstOpen >= 0 && halfOpen > firstOpen && closed > halfOpen }).toEqual({ seen, firstOpen, ok: true });
    expect(report.breaker.states[POISON]).toBe('CLOSED');
    expect(logs.some((l) => l.includes('BREAKER_TRANSITION') && l.includes('"to":"OPEN"'))).toBe(true);
  });

  it('keeps the healthy topics flowing while the poison topic is OPEN', () => {
    // The scenario's own check: orders and clickstream drained while payments was stopped, its mapping disabled.
    expect(row.checks.find((c) => c.name === 'healthy topics flowed while payments was stopped')).toMatchObject({ ok: true });
    for (const t of HEALTHY) expect(report.breaker.transitions.filter((x) => x.topic === t && x.to === 'OPEN')).toEqual([]);
  });

  it('archives every poison record after its retries and loses nothing', () => {
    const poisoned = report.verification.find((r) => r.scenario === 'Processing Error');
    expect(poisoned).toMatchObject({ status: 'pass', actual: report.balance.dlqArchived });
    expect(report.balance.dlqArchived).toBeGreaterThan(0);
    expect(report.misplaced.count).toBe(0);
    expect(report.balance.lost).toBe(0);
    expect(report.balance.holds).toBe(true);
  });
});
