import type { DuplicateSummary, Report, TopicLedger } from './report-types';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function verificationTable(r: Report): string {
  const rows = r.verification.map((v) => [v.scenario, v.result, v.status === 'pass' ? 'pass' : 'FAIL']);
  const details = r.verification.flatMap((v) => (v.details ?? []).map((d) => `  ${v.scenario}: ${d}`));
  return [textTable(['Scenario', 'Result', 'Status'], rows), ...details].join('\n');
}

const LEDGER_COLUMNS: Array<[string, keyof TopicLedger]> = [
  ['sent', 'sent'],
  ['received', 'received'],
  ['delivered', 'delivered'],
  ['in table', 'addedToTable'],
  ['RAW distinct', 'rawDistinct'],
  ['quarantined', 'quarantined'],
  ['DLQ-archived', 'dlqArchived'],
  ['error output', 'errorOutput'],
  ['in flight', 'inFlight'],
  ['lost', 'lost'],
  ['duplicates', 'duplicates'],
];

/** The water balance as a ledger per topic, with a total row and the balance equation. */
export function ledgerTable(r: Report): string {
  const numeric = new Set(LEDGER_COLUMNS.map((_, i) => i + 1));
  const rows = r.ledger.map((t) => [t.topic, ...LEDGER_COLUMNS.map(([, k]) => fmt(t[k] as number))]);
  const b = r.balance;
  const total = [
    'total',
    fmt(b.sent),
    fmt(sum(r.ledger, 'received')),
    fmt(sum(r.ledger, 'delivered')),
    fmt(b.rawRows),
    fmt(b.rawDistinct),
    fmt(b.quarantined),
    fmt(b.dlqArchived),
    fmt(b.errorOutput),
    fmt(b.inFlight),
    fmt(b.lost),
    fmt(b.duplicates),
  ];
  const equation =
    `sent ${fmt(b.sentDistinct)} distinct = RAW ${fmt(b.rawDistinct)} + quarantined ${fmt(b.quarantined)} + DLQ-archived ${fmt(b.dlqArchived)}` +
    ` + error output ${fmt(b.errorOutput)} + in flight ${fmt(b.inFlight)}; lost ${fmt(b.lost)}, duplicates ${fmt(b.duplicates)}: ${b.holds ? 'balance holds' : 'BALANCE DOES NOT HOLD'}`;
  const lines = [textTable(['topic', ...LEDGER_COLUMNS.map(([h]) => h)], [...rows, total], numeric), '', equation];
  lines.push(
    `Iceberg: ${fmt(r.iceberg.snapshots)} snapshots, added-records ${fmt(r.iceberg.addedRecords)}; Firehose: incoming ${fmt(r.firehose.incomingRows)}, successful ${fmt(r.firehose.successfulRows)}, failed ${fmt(r.firehose.failedRows)}, ${fmt(r.firehose.calls)} PutRecordBatch calls`,
  );
  if (r.lost.count > 0) lines.push(`lost (first ${r.lost.first.length}): ${r.lost.first.join(', ')}`);
  if (r.duplicates.total > 0) lines.push(duplicatesLine(r.duplicates));
  if (r.misplaced.count > 0)
    lines.push(`not where expected (first ${r.misplaced.first.length}): ${r.misplaced.first.map((m) => `${m.identity} expected ${m.expected}, found ${m.found.join('+') || 'nowhere'}`).join('; ')}`);
  if (r.unexpected.count > 0) lines.push(`found but never sent through this stack: ${fmt(r.unexpected.count)}`);
  return lines.join('\n');
}

const PLACE_NAMES: Record<string, string> = { raw: 'RAW', quarantine: 'quarantine', dlq: 'DLQ archive', errors: 'error output' };
const placeNames = (key: string) =>
  key
    .split('+')
    .map((p) => PLACE_NAMES[p] ?? p)
    .join('+');

/** `duplicates 12 (each counted once, RAW first): 2 with several RAW rows, RAW+DLQ archive 10, ...` and the first ids. */
export function duplicatesLine(d: DuplicateSummary): string {
  const kinds = [
    ...(d.rawDuplicates ? [`${fmt(d.rawDuplicates)} with several RAW rows`] : []),
    ...Object.entries(d.crossBreakdown).map(([k, n]) => `${placeNames(k)} ${fmt(n)}`),
    ...(d.sentMoreThanOnce ? [`${fmt(d.sentMoreThanOnce)} sent more than once`] : []),
  ];
  const first = d.firstFound.map((f) => `${f.identity} (${placeNames(f.found.join('+'))} -> ${placeNames(f.countedIn)})`);
  const causes = Object.entries(d.byCause ?? {})
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c.replace('_', ' ')} ${fmt(n)}`);
  return `duplicates ${fmt(d.total)} (each counted once, RAW first): ${kinds.join(', ')}\n  by cause: ${causes.join(', ') || '-'}\n  first ${first.length}: ${first.join(', ')}`;
}

export function breakerSummary(r: Report): string {
  if (r.breaker.transitions.length === 0) return 'Circuit breaker: no transitions';
  const byTopic = new Map<string, string[]>();
  for (const t of r.breaker.transitions) {
    const list = byTopic.get(t.topic) ?? [t.from];
    list.push(t.to);
    byTopic.set(t.topic, list);
  }
  return ['Circuit breaker:', ...[...byTopic].map(([topic, states]) => `  ${topic}: ${states.join(' -> ')}`)].join('\n');
}

export function throughputLine(r: Report): string {
  const t = r.throughput;
  if (t.recordsPerSecond === undefined) return `End-to-end: ${fmt(t.rawRows)} RAW rows`;
  return `End-to-end: ${fmt(t.rawRows)} RAW rows in ${t.seconds} s = ${fmt(t.recordsPerSecond)} records/s (${t.definition})`;
}

function sum(ledger: readonly TopicLedger[], key: 'received' | 'delivered'): number {
  return ledger.reduce((n, t) => n + t[key], 0);
}

/** `IAM: no call denied`, or one line per denied principal/action/resource with its count. */
export function deniedSummary(r: Report): string {
  if (r.denied.length === 0) return 'IAM: no call denied';
  return ['IAM: denied calls', ...r.denied.map((d) => `  ${fmt(d.count)} x AccessDenied: ${d.principal} ${d.action} on ${d.resource}`)].join('\n');
}
