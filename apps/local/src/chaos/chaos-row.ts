import type { Report } from '../report/report-types';
import type { ChaosRow, Check, ScenarioOutcome } from './chaos-types';

/** `payments CLOSED>OPEN>HALF_OPEN>CLOSED; orders ...` from the report's transitions, in order, per topic. */
export function breakerPath(transitions: Report['breaker']['transitions']): string {
  const byTopic = new Map<string, string[]>();
  for (const t of [...transitions].sort((a, b) => a.at.localeCompare(b.at))) {
    const path = byTopic.get(t.topic) ?? [t.from];
    path.push(t.to);
    byTopic.set(t.topic, path);
  }
  if (byTopic.size === 0) return '-';
  return [...byTopic].map(([topic, path]) => `${topic} ${path.join('>')}`).join('; ');
}

/** The checks every scenario makes: nothing lost and the water balance holds. */
export function balanceChecks(report: Report): Check[] {
  const b = report.balance;
  const lostIds = report.lost.first.slice(0, 5).join(', ');
  return [
    { name: 'lost = 0', ok: b.lost === 0 && report.lost.count === 0, detail: `lost ${b.lost} (report lists ${report.lost.count})${lostIds ? `: ${lostIds}` : ''}` },
    {
      name: 'water balance holds',
      ok: b.holds,
      detail: `sent distinct ${b.sentDistinct} vs RAW ${b.rawDistinct} + quarantined ${b.quarantined} + archived ${b.dlqArchived} + error output ${b.errorOutput} + in flight ${b.inFlight}`,
    },
  ];
}

export function chaosRow(scenario: string, outcome: ScenarioOutcome, seconds: number): ChaosRow {
  const { report } = outcome;
  const checks = [...balanceChecks(report), ...outcome.checks];
  return {
    scenario,
    sent: report.balance.sent,
    raw: report.balance.rawDistinct,
    quarantined: report.balance.quarantined,
    archived: report.balance.dlqArchived,
    duplicates: report.balance.duplicates,
    lost: report.balance.lost,
    breaker: breakerPath(report.breaker.transitions),
    seconds: Math.round(seconds * 10) / 10,
    checks,
    ...(outcome.note ? { note: outcome.note } : {}),
    ok: checks.every((c) => c.ok),
  };
}

/** A row for a scenario that threw: it proves nothing, so it counts as failed. */
export function failedRow(scenario: string, err: unknown, seconds: number): ChaosRow {
  return {
    scenario,
    sent: 0,
    raw: 0,
    quarantined: 0,
    archived: 0,
    duplicates: 0,
    lost: 0,
    breaker: '-',
    seconds: Math.round(seconds * 10) / 10,
    checks: [{ name: 'scenario ran', ok: false, detail: err instanceof Error ? err.message : String(err) }],
    ok: false,
  };
}
