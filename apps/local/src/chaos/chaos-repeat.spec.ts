import { formatRepeatSummary, repeatExitCode, summarizeRuns, type ChaosRun } from './chaos-repeat';
import type { ChaosRow } from './chaos-types';
import assert from 'node:assert/strict';

const row = (scenario: string, seconds: number, ok = true): ChaosRow => ({
  scenario,
  sent: 10,
  raw: 10,
  quarantined: 0,
  archived: 0,
  duplicates: 0,
  lost: 0,
  breaker: '-',
  seconds,
  checks: [{ name: 'lost = 0', ok }],
  ok,
});

const runs: ChaosRun[] = [
  { rows: [row('poison-record', 2.1), row('lambda-crash-and-timeout', 104.9)], seconds: 213.4 },
  { rows: [row('poison-record', 2.4), row('lambda-crash-and-timeout', 110.2, false)], seconds: 232.0 },
  { rows: [row('poison-record', 130.5), row('lambda-crash-and-timeout', 101)], seconds: 240.3 },
];

describe('chaos --repeat summary', () => {
  it("counts passes, keeps each run's wall time and finds the slowest scenario over all runs", () => {
    const s = summarizeRuns(runs);
    expect(s.runs).toBe(3);
    expect(s.passes).toBe(2);
    expect(s.perRun.map((r) => [r.run, r.ok, r.seconds, r.failed])).toEqual([
      [1, true, 213.4, []],
      [2, false, 232.0, ['lambda-crash-and-timeout']],
      [3, true, 240.3, []],
    ]);
    expect(s.perRun[0]?.slowest).toEqual({ scenario: 'lambda-crash-and-timeout', seconds: 104.9 });
    expect(s.slowest).toEqual({ scenario: 'poison-record', seconds: 130.5, run: 3 });
    expect(repeatExitCode(s)).toBe(1);
  });

  it('prints passes/N, a line per run and the slowest scenario', () => {
    const lines = formatRepeatSummary(summarizeRuns(runs)).split('\n');
    expect(lines[0]).toBe('chaos --repeat 3: 2/3 runs passed (FAILED)');
    expect(lines[1]?.split(/\s{2,}/)).toEqual(['run', 'result', 'wall s', 'slowest scenario']);
    expect(lines[3]).toMatch(/^1\s+ok\s+213\.4\s+lambda-crash-and-timeout 104\.9 s$/);
    expect(lines[4]).toMatch(/^2\s+FAIL: lambda-crash-and-timeout\s+232\.0\s+lambda-crash-and-timeout 110\.2 s$/);
    expect(lines[5]).toMatch(/^3\s+ok\s+240\.3\s+poison-record 130\.5 s$/);
    const [, , , run1, run2] = lines;
    assert(run1 && run2);
    expect(run1.indexOf('213.4') + 5).toBe(run2.indexOf('232.0') + 5);
    expect(lines[6]).toBe('wall time per run: min 213.4 s, max 240.3 s, total 685.7 s');
    expect(lines[7]).toBe('slowest scenario: poison-record 130.5 s (run 3)');
  });

  it('exits 0 only when every run passed', () => {
    const allOk = summarizeRuns(runs.filter((_, k) => k !== 1));
    expect(formatRepeatSummary(allOk).split('\n')[0]).toBe('chaos --repeat 2: 2/2 runs passed');
    expect(repeatExitCode(allOk)).toBe(0);
    expect(repeatExitCode(summarizeRuns([]))).toBe(1);
    expect(summarizeRuns([{ rows: [], seconds: 0 }]).passes).toBe(0);
  });
});
