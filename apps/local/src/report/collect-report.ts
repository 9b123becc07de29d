import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { CHECKPOINTS, CRASH_MARKERS, ERRORS, LOCKS, isCrashMarkerKey, S3_PREFIXES, type BreakerState, type DlqArchiveRecord, type ErrorStatus, type QuarantineRecord } from '@lean-ops/contracts';
import type { GeneratedMessage, InjectionResult } from '@lean-ops/injector';
import { readRows, readTableState } from '@lean-ops/iceberg';
import type { StackInternals } from '../stack/local-stack';
import { parseArchiveKey } from './archive-key';
import { duplicatesByCause, withoutRequeueCopies } from './duplicate-causes';
import { duplicateSummary } from './duplicate-summary';
import { errorOutputFindings } from './error-output-records';
import { checkIdentities, identityResolver, type Found } from './identity-check';
import type { BreakerTransitionView, Report } from './report-types';
import { misplacedMessages, verificationRows, type ArchiveObject, type QuarantineObject } from './verification';
import { balanceOf, topicLedgers, type HopCounts } from './water-balance-ledger';

const READ_CONCURRENCY = 16;
const FIRST = 20;

export const THROUGHPUT_DEFINITION = 'RAW rows committed / seconds from the first message sent until the last of those rows was committed';

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
  }
  return keys;
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await r.Body?.transformToString('utf8')) ?? '';
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

async function scanAll(ddb: DynamoDBClient, table: string): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const r = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}

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
  const archive = s.plan.buckets.archive;
  const topics = s.config.topics.map((t) => t.name);
  const activity = await s.activity();

  // S3: quarantine and DLQ archive objects (bodies give reason and receive count), Firehose error output.
  const [qKeys, dKeys, eKeys] = await Promise.all([
    listKeys(s.s3, archive, S3_PREFIXES.quarantine),
    listKeys(s.s3, archive, S3_PREFIXES.dlqArchive),
    listKeys(s.s3, s.plan.stream.errorOutputBucket, S3_PREFIXES.firehoseErrors),
  ]);
  const quarantine: QuarantineObject[] = (
    await mapLimit(qKeys, READ_CONCURRENCY, async (key) => {
      const k = parseArchiveKey(key);
      if (!k) return undefined;
      const body = JSON.parse(await readText(s.s3, archive, key)) as QuarantineRecord;
      return { topic: k.topic, id: k.id, reason: body.reason, key };
    })
  ).filter((q): q is QuarantineObject => q !== undefined);
  const archived: ArchiveObject[] = (
    await mapLimit(dKeys, READ_CONCURRENCY, async (key) => {
      const k = parseArchiveKey(key);
      if (!k) return undefined;
      const body = JSON.parse(await readText(s.s3, archive, key)) as DlqArchiveRecord;
      return { topic: k.topic, id: k.id, receiveCount: body.receive_count, key };
    })
  ).filter((a): a is ArchiveObject => a !== undefined);
  const errorRecords: Found[] = (
    await mapLimit(eKeys, READ_CONCURRENCY, async (key) => errorOutputFindings(await readText(s.s3, s.plan.stream.errorOutputBucket, key)))
  ).flat();

  // The RAW table: snapshots' added-records, and rows for per-topic identities.
  const state = await readTableState(s.warehouse);
  const rows = await readRows(s.warehouse);
  const rawFound: Found[] = [];
  const driftIds = new Set<string>();
  for (const r of rows) {
    const id = String(r.message_id);
    rawFound.push({ topic: String(r.topic_name), id });
    if (Array.isArray(r.drift_fields) && r.drift_fields.length > 0) driftIds.add(id);
  }

  // DynamoDB: checkpoints (received/delivered per topic), error tracker, breaker locks.
  const [checkpoints, errors, locks] = await Promise.all([scanAll(s.dynamodb, s.plan.tables.checkpoints), scanAll(s.dynamodb, s.plan.tables.errors), scanAll(s.dynamodb, s.plan.tables.locks)]);
  const num = (item: Record<string, AttributeValue>, attr: string) => Number(item[attr]?.N ?? 0);
  const received: Record<string, number> = {};
  const delivered: Record<string, number> = {};
  for (const item of checkpoints) {
    const topic = item[CHECKPOINTS.partitionKey]?.S ?? 'unknown';
    received[topic] = (received[topic] ?? 0) + num(item, CHECKPOINTS.attributes.received);
    delivered[topic] = (delivered[topic] ?? 0) + num(item, CHECKPOINTS.attributes.delivered);
  }
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const redriven = new Set<string>();
  const trackerItems: Array<{ id: string; status: string }> = [];
  // Crash isolation keeps its markers in the errors table; they are not tracker items. Copies it re-queued are known.
  const copies = new Set<string>();
  for (const item of errors) {
    const sk = item[ERRORS.sortKey]?.S ?? '';
    if (!isCrashMarkerKey(sk)) continue;
    if (item[CRASH_MARKERS.attributes.requeueOf]?.S) copies.add(sk.slice(CRASH_MARKERS.recordPrefix.length));
  }
  for (const item of errors) {
    if (isCrashMarkerKey(item[ERRORS.sortKey]?.S ?? '')) continue;
    const status = item[ERRORS.attributes.status]?.S ?? 'UNKNOWN';
    if (status === ('REDRIVEN' satisfies ErrorStatus) && item[ERRORS.sortKey]?.S) redriven.add(item[ERRORS.sortKey].S!);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    trackerItems.push({ id: item[ERRORS.sortKey]?.S ?? '', status });
    const reason = item[ERRORS.attributes.errorClass]?.S ?? 'UNKNOWN';
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  const breakerStates: Record<string, string> = {};
  for (const item of locks) {
    const topic = item[LOCKS.attributes.topic]?.S;
    if (topic) breakerStates[topic] = item[LOCKS.attributes.state]?.S ?? ('CLOSED' satisfies BreakerState);
  }
  for (const t of topics) breakerStates[t] ??= 'CLOSED' satisfies BreakerState;
  const transitions: BreakerTransitionView[] = [];
  const alarmTransitions: Report['alarms']['transitions'] = [];
  for (const m of s.sns.published(s.alertTopicArn)) {
    try {
      const doc = JSON.parse(m.message) as { type?: string; topic?: string; from?: string; to?: string; reason?: string; at?: string; AlarmName?: string; OldStateValue?: string; NewStateValue?: string };
      if (doc.type === 'BreakerTransition' && doc.topic && doc.from && doc.to) transitions.push({ topic: doc.topic, from: doc.from, to: doc.to, reason: doc.reason ?? '', at: doc.at ?? m.timestamp });
      if (doc.AlarmName && doc.NewStateValue) alarmTransitions.push({ name: doc.AlarmName, from: doc.OldStateValue ?? '', to: doc.NewStateValue, at: m.timestamp });
    } catch {
      // an alarm notification or another message
    }
  }

  // Identities: every sent message counted in exactly one place (RAW first), copies elsewhere as duplicates.
  const sentIdentities = withoutRequeueCopies(s.ledger.identities(), copies);
  const check = checkIdentities(sentIdentities, {
    raw: rawFound,
    quarantine: quarantine.map((q) => ({ topic: q.topic, id: q.id })),
    dlq: archived.map((a) => ({ topic: a.topic, id: a.id })),
    errors: errorRecords,
  }, redriven);

  // The injector's counts, unless the data dir holds sends it did not make (earlier runs, other producers).
  const ledgerByTopic = s.ledger.sentByTopic();
  for (const identity of sentIdentities.values()) {
    const copiesOf = identity.sqsMessageIds.filter((id) => copies.has(id)).length;
    if (copiesOf) ledgerByTopic[identity.topic] = (ledgerByTopic[identity.topic] ?? 0) - copiesOf;
  }
  const sentByTopic = opts.injection && opts.injection.sent === s.ledger.sent - copies.size ? opts.injection.sentByTopic : ledgerByTopic;
  const hops: Record<string, HopCounts> = {};
  const hop = (t: string) =>
    (hops[t] ??= { sent: 0, received: 0, delivered: 0, rawRows: 0, inFlight: 0 });
  for (const t of topics) hop(t);
  for (const [t, n] of Object.entries(sentByTopic)) hop(t).sent = n;
  for (const [t, n] of Object.entries(received)) hop(t).received = n;
  for (const [t, n] of Object.entries(delivered)) hop(t).delivered = n;
  for (const r of rawFound) hop(r.topic).rawRows++;
  for (const q of s.plan.topicQueues) {
    const c = activity.queues[q.name];
    if (c) hop(q.topic!).inFlight = c.visible + c.inFlight + c.delayed;
  }
  const dlqCounts = activity.queues[s.plan.dlq.name];
  const extraInFlight = (dlqCounts ? dlqCounts.visible + dlqCounts.inFlight + dlqCounts.delayed : 0) + activity.firehose.bufferedRows + activity.firehose.failingRows;
  const ledger = topicLedgers(topics, hops, check);
  const balance = balanceOf(ledger, check, extraInFlight);

  // Throughput: rows landed over the time from the first send to the commit that made the last of them visible.
  const commits = s.firehose.delivery(s.plan.stream.name)?.commits() ?? [];
  const lastCommit = commits.length ? commits[commits.length - 1].at : undefined;
  // Both ends from this process: its first accepted send and its commits.
  const firstSend = s.ledger.firstAtThisRun;
  const seconds = firstSend !== undefined && lastCommit !== undefined && lastCommit > firstSend ? (lastCommit - firstSend) / 1000 : undefined;
  const landed = commits.reduce((n, c) => n + c.rows, 0);
  const recordsPerSecond = seconds ? landed / seconds : undefined;

  // Verification looks at this run's messages only when asked (`since`): objects of earlier runs are not its own.
  const resolve = identityResolver(s.ledger.identities());
  const inRun = (id: string) => {
    if (opts.since === undefined) return true;
    const identity = resolve(id);
    return identity !== undefined && (s.ledger.identities().get(identity)?.lastAt ?? 0) >= opts.since;
  };
  const runTracker: Record<string, number> = {};
  for (const t of trackerItems) if (inRun(t.id)) runTracker[t.status] = (runTracker[t.status] ?? 0) + 1;
  const messages = opts.messages;
  const verification = verificationRows({
    check,
    messages,
    quarantine: quarantine.filter((q) => inRun(q.id)),
    archive: archived.filter((a) => inRun(a.id)),
    driftIds,
    trackerByStatus: runTracker,
    dropping: s.dropping.byReason(),
    rawDistinct: balance.rawDistinct,
    recordsPerSecond,
    maxReceiveCount: s.config.messaging.maxReceiveCount,
    archiveBucket: archive,
  });
  const misplaced = messages ? misplacedMessages(check, messages) : [];
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
    throughput: {
      definition: THROUGHPUT_DEFINITION,
      rawRows: landed,
      ...(firstSend !== undefined ? { firstSendAt: new Date(firstSend).toISOString() } : {}),
      ...(lastCommit !== undefined ? { lastCommitAt: new Date(lastCommit).toISOString() } : {}),
      ...(seconds !== undefined ? { seconds: round(seconds, 3) } : {}),
      ...(recordsPerSecond !== undefined ? { recordsPerSecond: Math.round(recordsPerSecond) } : {}),
      ...(inj ? { injectorRecordsPerSecond: inj.recordsPerSecond } : {}),
    },
    balance,
    ledger,
    lost: { count: check.lost.length, first: check.lost.slice(0, FIRST) },
    duplicates: duplicateSummary(check, (id) => sentIdentities.get(id)?.count ?? 0, FIRST, {
      byCause: duplicatesByCause(check, sentIdentities, copies, s.failedHolders()),
      requeuedCopies: copies.size,
    }),
    unexpected: { count: unexpectedIds.length, first: unexpectedIds.slice(0, FIRST) },
    misplaced: { count: misplaced.length, first: misplaced.slice(0, FIRST) },
    verification,
    breaker: { transitions, states: breakerStates },
    firehose: {
      incomingRows: activity.firehose.incomingRows,
      successfulRows: activity.firehose.successfulRows,
      failedRows: activity.firehose.failedRows,
      calls: activity.firehose.calls,
      commits: activity.firehose.commits,
    },
    iceberg: {
      snapshots: state.snapshots.length,
      addedRecords: state.snapshots.reduce((n, sn) => n + sn.addedRecords, 0),
      totalRecords: state.totalRecords,
    },
    errorTracker: { byStatus, byReason },
    dropping: s.dropping.byReason(),
    alarms: { transitions: alarmTransitions },
    denied: s.denied(),
    ...(inj ? { injection: { scenario: inj.scenario, total: inj.total, sent: inj.sent, failed: inj.failed, seconds: inj.seconds, recordsPerSecond: inj.recordsPerSecond } } : {}),
    ok,
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
