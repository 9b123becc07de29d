import type { GeneratedMessage } from '@lean-ops/injector';
import type { Report } from '../../report/report-types';
import type { Check } from '../chaos-types';
import { expectedCounts } from '../harness';

/**
 * What crash isolation promises, checked on a report: the `lambda_crash` records, and only they, quarantined as
 * CRASHED_RUNTIME; the DLQ archive holds exactly what was expected there (processing errors); everything else in RAW.
 */
export function crashIsolationChecks(report: Report, messages: readonly GeneratedMessage[]): Check[] {
  const want = expectedCounts(messages);
  const crashers = messages.filter((m) => m.fault === 'lambda_crash').length;
  const crashed = report.errorTracker.byReason.CRASHED_RUNTIME ?? 0;
  return [
    {
      name: 'lambda_crash records quarantined as CRASHED_RUNTIME',
      ok: crashed === crashers && report.balance.quarantined === want.quarantine,
      detail: `CRASHED_RUNTIME ${crashed} of ${crashers}; quarantined ${report.balance.quarantined} of ${want.quarantine}`,
    },
    { name: 'every other record in RAW', ok: report.balance.rawDistinct === want.raw, detail: `RAW ${report.balance.rawDistinct} of ${want.raw}` },
    { name: 'the DLQ archive holds only what belongs there', ok: report.balance.dlqArchived === want.dlq, detail: `archived ${report.balance.dlqArchived} of ${want.dlq}` },
    { name: 'nothing misplaced', ok: report.misplaced.count === 0, detail: JSON.stringify(report.misplaced.first.slice(0, 3)) },
  ];
}

/** `duplicates 3 (crash 2, producer_resend 1); 12 re-queued copies` for the row's note. */
export function duplicateNote(report: Report): string {
  const causes = Object.entries(report.duplicates.byCause)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`);
  return `duplicates ${report.duplicates.total}${causes.length ? ` (${causes.join(', ')})` : ''}; ${report.duplicates.requeuedCopies} re-queued cop${report.duplicates.requeuedCopies === 1 ? 'y' : 'ies'}`;
}
