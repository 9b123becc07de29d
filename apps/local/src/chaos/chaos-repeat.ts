import { rowPassed } from './chaos-table';
import type { ChaosRow } from './chaos-types';

/** One pass of the whole matrix (`--repeat N` makes N of them). */
export interface ChaosRun {
  rows: ChaosRow[];
  /** Wall time of the whole run. */
  seconds: number;
}

export interface RunSummary {
  run: number;
  ok: boolean;
  seconds: number;
  /** Scenarios that failed in this run. */
  failed: string[];
  slowest?: { scenario: string; seconds: number };
}

export interface RepeatSummary {
  runs: number;
  passes: number;
  perRun: RunSummary[];
  /** The slowest scenario over every run, with the run it was in. */
  slowest?: { scenario: string; seconds: number; run: number };
}

const slowestOf = (rows: readonly ChaosRow[]) => rows.reduce<ChaosRow | undefined>((a, r) => (!a || r.seconds > a.seconds ? r : a), undefined);

export function summarizeRuns(runs: readonly ChaosRun[]): RepeatSummary {
  const perRun = runs.map((r, i): RunSummary => {
    const failed = r.rows.filter((row) => !rowPassed(row)).map((row) => row.scenario);
    const s = slowestOf(r.rows);
    return { run: i + 1, ok: r.rows.length > 0 && failed.length === 0, seconds: r.seconds, failed, ...(s ? { slowest: { scenario: s.scenario, seconds: s.seconds } } : {}) };
  });
  let slowest: RepeatSummary['slowest'];
  for (const r of perRun) if (r.slowest && (!slowest || r.slowest.seconds > slowest.seconds)) slowest = { ...r.slowest, run: r.run };
  return { runs: runs.length, passes: perRun.filter((r) => r.ok).length, perRun, ...(slowest ? { slowest } : {}) };
}

/** `passes/N`, one line per run (result, wall time, its slowest scenario) and the slowest scenario overall. */
export function formatRepeatSummary(s: RepeatSummary): string {
  const result = (r: RunSummary) => (r.ok ? 'ok' : `FAIL: ${r.failed.join(', ') || 'nothing ran'}`);
  const rows = s.perRun.map((r) => [String(r.run), result(r), r.seconds.toFixed(1), r.slowest ? `${r.slowest.scenario} ${r.slowest.seconds.toFixed(1)} s` : '-']);
  const head = ['run', 'result', 'wall s', 'slowest scenario'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (v: string[]) =>
    v
      .map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const walls = s.perRun.map((r) => r.seconds);
  const out = [`chaos --repeat ${s.runs}: ${s.passes}/${s.runs} runs passed${s.passes === s.runs ? '' : ' (FAILED)'}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (walls.length) out.push(`wall time per run: min ${Math.min(...walls).toFixed(1)} s, max ${Math.max(...walls).toFixed(1)} s, total ${walls.reduce((a, b) => a + b, 0).toFixed(1)} s`);
  if (s.slowest) out.push(`slowest scenario: ${s.slowest.scenario} ${s.slowest.seconds.toFixed(1)} s (run ${s.slowest.run})`);
  return out.join('\n');
}

/** Non-zero when any run failed (or none ran). */
export function repeatExitCode(s: RepeatSummary): number {
  return s.runs > 0 && s.passes === s.runs ? 0 : 1;
}
