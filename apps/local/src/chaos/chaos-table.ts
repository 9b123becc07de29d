import type { ChaosRow } from './chaos-types';

const failedChecks = (r: ChaosRow) => r.checks.filter((c) => !c.ok);

/** `ok`, or `FAIL: <first expectation that did not hold>` (and how many more), so the row itself says why. */
export function resultCell(r: ChaosRow): string {
  if (rowPassed(r)) return 'ok';
  const [first, ...more] = failedChecks(r);
  if (!first) return `FAIL: lost ${r.lost}`;
  return `FAIL: ${first.name}${more.length ? ` (+${more.length} more)` : ''}`;
}

const COLUMNS: Array<{ head: string; cell: (r: ChaosRow) => string; right?: boolean }> = [
  { head: 'scenario', cell: (r) => r.scenario },
  { head: 'sent', cell: (r) => String(r.sent), right: true },
  { head: 'RAW', cell: (r) => String(r.raw), right: true },
  { head: 'quarantined', cell: (r) => String(r.quarantined), right: true },
  { head: 'archived', cell: (r) => String(r.archived), right: true },
  { head: 'duplicates', cell: (r) => String(r.duplicates), right: true },
  { head: 'lost', cell: (r) => String(r.lost), right: true },
  { head: 'breaker transitions', cell: (r) => r.breaker },
  { head: 'seconds', cell: (r) => r.seconds.toFixed(1), right: true },
  { head: 'result', cell: resultCell },
];

/** A row passes when it lost nothing and every check held. */
export function rowPassed(r: ChaosRow): boolean {
  return r.ok && r.lost === 0 && r.checks.every((c) => c.ok);
}

/** One line per expectation that did not hold: scenario, expectation, and the numbers seen. */
export function failureLines(rows: readonly ChaosRow[]): string[] {
  const out: string[] = [];
  for (const r of rows.filter((x) => !rowPassed(x))) {
    const failed = failedChecks(r);
    if (failed.length === 0) out.push(`FAIL ${r.scenario}: lost = 0: lost ${r.lost}`);
    for (const c of failed) out.push(`FAIL ${r.scenario}: ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  }
  return out;
}

/** The last line: how many scenarios held, and which did not. */
export function verdictLine(rows: readonly ChaosRow[]): string {
  const failed = rows.filter((r) => !rowPassed(r)).map((r) => r.scenario);
  if (rows.length === 0) return 'chaos: no scenario ran: FAILED';
  if (failed.length === 0) return `chaos: ${rows.length}/${rows.length} scenarios ok`;
  return `chaos: ${rows.length - failed.length}/${rows.length} scenarios ok, FAILED: ${failed.join(', ')}`;
}

/** The fault matrix as a plain-text table, then the failed expectations, the notes and the verdict. */
export function formatChaosTable(rows: readonly ChaosRow[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (COLUMNS[i]?.right ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(...failureLines(rows));
  for (const r of rows) if (r.note) out.push(`${r.scenario}: ${r.note}`);
  out.push(verdictLine(rows));
  return out.join('\n');
}

/** Non-zero when any row lost a message or failed a check, or nothing ran. */
export function chaosExitCode(rows: readonly ChaosRow[]): number {
  return rows.length > 0 && rows.every(rowPassed) ? 0 : 1;
}
