import type { GeneratedMessage, InjectionResult } from '@lean-ops/injector';
import type { StackInternals } from '../stack/local-stack';
import type { SentIdentity } from '../stack/sent-ledger';
import { duplicatesByCause, withoutRequeueCopies } from './duplicate-causes';
import { duplicateSummary } from './duplicate-summary';
import { checkIdentities, identityResolver, type IdentityCheck } from './identity-check';
import { readAlerts, readS3, readTable, readTables, type S3Findings, type TableFindings, type TableItemFindings } from './report-sources';
import type { Report } from './report-types';
import { misplacedMessages, verificationRows } from './verification';
import { balanceOf, topicLedgers, type HopCounts } from './water-balance-ledger';

const FIRST = 20;

export const THROUGHPUT_DEFINITION = 'RAW rows committed / seconds from the first message sent until the last of those rows was committed';

/** Reads every hop of the local stack and builds the report. */
export interface ReportOptions {
  /** The in-process injection: its per-topic counts are the ledger's `sent`. */
  injection?: InjectionResult;
  /** The injected messages: each is checked against its expected outcome. */
  messages?: GeneratedMessage[];
  /**
   * Judge the verification rows on messages sent from this time on (epoch ms), e.g. one `run` into a data dir
   * that earlier runs filled; the water balance always covers everything the data dir holds.
   */
  since?: number;
}

export async function collectReport(s: StackInternals, opts: ReportOptions): Promise<Report> {
  const topics = s.config.topics.map((t) => t.name);
  const activity = await s.activity();
  const [found, table, items] = await Promise.all([readS3(s), readTable(s), readTables(s, topics)]);
  const { transitions, alarmTransitions } = readAlerts(s);

  // Identities: every sent message counted in exactly one place (RAW first), copies elsewhere as duplicates.
  const sentIdentities = withoutRequeueCopies(s.ledger.identities(), items.copies);
  const check = checkIdentities(
    sentIdentities,
    {
      raw: table.rawFound,
      quarantine: found.quarantine.map((q) => ({ topic: q.topic, id: q.id })),
      dlq: found.archived.map((a) => ({ topic: a.topic, id: a.id })),
      errors: found.errorRecords,
    },
    items.redriven,
  );
  const hops = hopCounts(s, opts, topics, sentIdentities, items, table, activity);
  const dlqCounts = activity.queues[s.plan.dlq.name];
  const extraInFlight = (dlqCounts ? dlqCounts.visible + dlqCounts.inFlight + dlqCounts.delayed : 0) + activity.firehose.bufferedRows + activity.firehose.failingRows;
  const ledger = topicLedgers(topics, hops, check);
  const balance = balanceOf(ledger, check, extraInFlight);
  const { throughput, recordsPerSecond } = throughputOf(s, opts.injection);
  const verification = verify(s, opts, check, found, table, items, balance.rawDistinct, recordsPerSecond);
  const misplaced = opts.messages ? misplacedMessages(check, opts.messages) : [];
  const unexpectedIds = check.unexpected.map((f) => `${f.topic}/${f.id}`);
  const ok = balance.lost === 0 && balance.holds && verification.every((r) => r.status === 'pass') && misplaced.length === 0;

  const inj = opts.injection;
  return {
    generatedAt: new Date().toISOString(),
    environment: s.config.environment,
    dataDir: s.dataDir,
    warehouse: s.warehouse,
    ...(inj ? { scenario: inj.scenario } : {}),
    settled: balance.inFlight === 0,
    throughput,
    balance,
    ledger,
    lost: { count: check.lost.length, first: check.lost.slice(0, FIRST) },
    duplicates: duplicateSummary(check, (id) => sentIdentities.get(id)?.count ?? 0, FIRST, {
      byCause: duplicatesByCause(check, sentIdentities, items.copies, s.failedHolders()),
      requeuedCopies: items.copies.size,
    }),
    unexpected: { count: unexpectedIds.length, first: unexpectedIds.slice(0, FIRST) },
    misplaced: { count: misplaced.length, first: misplaced.slice(0, FIRST) },
    verification,
    breaker: { transitions, states: items.breakerStates },
    firehose: {
      incomingRows: activity.firehose.incomingRows,
      successfulRows: activity.firehose.successfulRows,
      failedRows: activity.firehose.failedRows,
      calls: activity.firehose.calls,
      commits: activity.firehose.commits,
    },
    iceberg: {
      snapshots: table.state.snapshots.length,
      addedRecords: table.state.snapshots.reduce((n, sn) => n + sn.addedRecords, 0),
      totalRecords: table.state.totalRecords,
    },
    errorTracker: { byStatus: items.byStatus, byReason: items.byReason },
    dropping: s.dropping.byReason(),
    alarms: { transitions: alarmTransitions },
    denied: s.denied(),
    calls: s.allowed(),
    ...(inj ? { injection: { scenario: inj.scenario, total: inj.total, sent: inj.sent, failed: inj.failed, seconds: inj.seconds, recordsPerSecond: inj.recordsPerSecond } } : {}),
    ok,
  };
}

type Activity = Awaited<ReturnType<StackInternals['activity']>>;

/**
 * Per topic: sent (the injector's counts, unless the data dir holds sends it did not make: earlier runs, other
 * producers; re-queued copies never count), received and delivered (checkpoints), RAW rows, still in flight.
 */
function hopCounts(
  s: StackInternals,
  opts: ReportOptions,
  topics: readonly string[],
  sentIdentities: ReadonlyMap<string, SentIdentity>,
  items: TableItemFindings,
  table: TableFindings,
  activity: Activity,
): Record<string, HopCounts> {
  const ledgerByTopic = s.ledger.sentByTopic();
  for (const identity of sentIdentities.values()) {
    const copiesOf = identity.sqsMessageIds.filter((id) => items.copies.has(id)).length;
    if (copiesOf) ledgerByTopic[identity.topic] = (ledgerByTopic[identity.topic] ?? 0) - copiesOf;
  }
  const sentByTopic = opts.injection && opts.injection.sent === s.ledger.sent - items.copies.size ? opts.injection.sentByTopic : ledgerByTopic;
  const hops: Record<string, HopCounts> = {};
  const hop = (t: string) => (hops[t] ??= { sent: 0, received: 0, delivered: 0, rawRows: 0, inFlight: 0 });
  for (const t of topics) hop(t);
  for (const [t, n] of Object.entries(sentByTopic)) hop(t).sent = n;
  for (const [t, n] of Object.entries(items.received)) hop(t).received = n;
  for (const [t, n] of Object.entries(items.delivered)) hop(t).delivered = n;
  for (const r of table.rawFound) hop(r.topic).rawRows++;
  for (const q of s.plan.topicQueues) {
    const c = activity.queues[q.name];
    if (c) hop(q.topic!).inFlight = c.visible + c.inFlight + c.delayed;
  }
  return hops;
}

/** Rows landed over the time from this process's first accepted send to the commit that made the last of them visible. */
function throughputOf(s: StackInternals, inj: InjectionResult | undefined): { throughput: Report['throughput']; recordsPerSecond: number | undefined } {
  const commits = s.firehose.delivery(s.plan.stream.name)?.commits() ?? [];
  const lastCommit = commits[commits.length - 1]?.at;
  const firstSend = s.ledger.firstAtThisRun;
  const seconds = firstSend !== undefined && lastCommit !== undefined && lastCommit > firstSend ? (lastCommit - firstSend) / 1000 : undefined;
  const landed = commits.reduce((n, c) => n + c.rows, 0);
  const recordsPerSecond = seconds ? landed / seconds : undefined;
  const throughput = {
    definition: THROUGHPUT_DEFINITION,
    rawRows: landed,
    ...(firstSend !== undefined ? { firstSendAt: new Date(firstSend).toISOString() } : {}),
    ...(lastCommit !== undefined ? { lastCommitAt: new Date(lastCommit).toISOString() } : {}),
    ...(seconds !== undefined ? { seconds: round(seconds, 3) } : {}),
    ...(recordsPerSecond !== undefined ? { recordsPerSecond: Math.round(recordsPerSecond) } : {}),
    ...(inj ? { injectorRecordsPerSecond: inj.recordsPerSecond } : {}),
  };
  return { throughput, recordsPerSecond };
}

/** The verification rows; they look at this run's messages only when asked (`since`): objects of earlier runs are not its own. */
function verify(
  s: StackInternals,
  opts: ReportOptions,
  check: IdentityCheck,
  found: S3Findings,
  table: TableFindings,
  items: TableItemFindings,
  rawDistinct: number,
  recordsPerSecond: number | undefined,
): Report['verification'] {
  const resolve = identityResolver(s.ledger.identities());
  const inRun = (id: string) => {
    if (opts.since === undefined) return true;
    const identity = resolve(id);
    return identity !== undefined && (s.ledger.identities().get(identity)?.lastAt ?? 0) >= opts.since;
  };
  const runTracker: Record<string, number> = {};
  for (const t of items.trackerItems) if (inRun(t.id)) runTracker[t.status] = (runTracker[t.status] ?? 0) + 1;
  return verificationRows({
    check,
    messages: opts.messages,
    quarantine: found.quarantine.filter((q) => inRun(q.id)),
    archive: found.archived.filter((a) => inRun(a.id)),
    driftIds: table.driftIds,
    trackerByStatus: runTracker,
    dropping: s.dropping.byReason(),
    rawDistinct,
    recordsPerSecond,
    maxReceiveCount: s.config.messaging.maxReceiveCount,
    archiveBucket: s.plan.buckets.archive,
  });
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
