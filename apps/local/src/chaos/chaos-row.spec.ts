import type { Report } from '../report/report-types';
import { balanceChecks, chaosRow } from './chaos-row';

const balance = { sent: 10, sentDistinct: 10, rawRows: 8, rawDistinct: 8, quarantined: 1, dlqArchived: 0, errorOutput: 0, inFlight: 0, lost: 1, duplicates: 0, holds: false };
const report = { balance, lost: { count: 1, first: ['m-9'] }, breaker: { transitions: [], states: {} } } as unknown as Report;

describe('chaos rows', () => {
  it('states the numbers behind a failed balance check', () => {
    const [lost, holds] = balanceChecks(report);
    expect(lost).toEqual({ name: 'lost = 0', ok: false, detail: 'lost 1 (report lists 1): m-9' });
    expect(holds).toEqual({ name: 'water balance holds', ok: false, detail: 'sent distinct 10 vs RAW 8 + quarantined 1 + archived 0 + error output 0 + in flight 0' });
  });

  it('fails the row when a scenario check fails even though nothing was lost', () => {
    const fine = { ...report, balance: { ...balance, rawDistinct: 9, lost: 0, holds: true }, lost: { count: 0, first: [] } } as unknown as Report;
    const row = chaosRow('poison-record', { report: fine, checks: [{ name: 'the rest in RAW', ok: false, detail: 'RAW 9 of 10' }] }, 1.23);
    expect(row.ok).toBe(false);
    expect(row.seconds).toBe(1.2);
    expect(row.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['the rest in RAW']);
  });
});
