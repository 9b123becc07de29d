import type { ChaosRow } from './chaos-types';

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
  { head: 'result', cell: (r) => (r.ok ? 'ok' : 'FAIL') },
];

/** The fault matrix as a plain-text table, then one line per failed check or note. */
export function formatChaosTable(rows: readonly ChaosRow[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (COLUMNS[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(COLUMNS.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  for (const r of rows) {
    for (const c of r.checks.filter((k) => !k.ok)) out.push(`${r.scenario}: check failed: ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
    if (r.note) out.push(`${r.scenario}: ${r.note}`);
  }
  return out.join('\n');
}

/** Non-zero when any row lost a message or failed a check. */
export function chaosExitCode(rows: readonly ChaosRow[]): number {
  return rows.length > 0 && rows.every((r) => r.ok && r.lost === 0) ? 0 : 1;
}
