import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { CHECKPOINTS, CRASH_MARKERS, ERRORS, LOCKS, isCrashMarkerKey, S3_PREFIXES, type BreakerState, type DlqArchiveRecord, type ErrorStatus, type QuarantineRecord } from '@lean-ops/contracts';
import { readRows, readTableState } from '@lean-ops/iceberg';
import type { StackInternals } from '../stack/local-stack';
import { parseArchiveKey } from './archive-key';
import { errorOutputFindings } from './error-output-records';
import type { Found } from './identity-check';
import type { BreakerTransitionView, Report } from './report-types';
import type { ArchiveObject, QuarantineObject } from './verification';

/** What the report reads from each hop of the local stack, one reader per store. */

const READ_CONCURRENCY = 16;

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
  const pending = items.entries(); // shared by the workers: each takes the next item when it is free
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (const [i, item] of pending) out[i] = await fn(item);
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

export interface S3Findings {
  quarantine: QuarantineObject[];
  archived: ArchiveObject[];
  /** Records in the Firehose error output. */
  errorRecords: Found[];
}

/** Quarantine and DLQ archive objects (bodies give reason and receive count), Firehose error output. */
export async function readS3(s: StackInternals): Promise<S3Findings> {
  const archive = s.plan.buckets.archive;
  const errorBucket = s.plan.stream.errorOutputBucket;
  const [qKeys, dKeys, eKeys] = await Promise.all([
    listKeys(s.s3, archive, S3_PREFIXES.quarantine),
    listKeys(s.s3, archive, S3_PREFIXES.dlqArchive),
    listKeys(s.s3, errorBucket, S3_PREFIXES.firehoseErrors),
  ]);
  const quarantine = await mapLimit(qKeys, READ_CONCURRENCY, async (key): Promise<QuarantineObject | undefined> => {
    const k = parseArchiveKey(key);
    if (!k) return undefined;
    const body = JSON.parse(await readText(s.s3, archive, key)) as QuarantineRecord;
    return { topic: k.topic, id: k.id, reason: body.reason, key };
  });
  const archived = await mapLimit(dKeys, READ_CONCURRENCY, async (key): Promise<ArchiveObject | undefined> => {
    const k = parseArchiveKey(key);
    if (!k) return undefined;
    const body = JSON.parse(await readText(s.s3, archive, key)) as DlqArchiveRecord;
    return { topic: k.topic, id: k.id, receiveCount: body.receive_count, key };
  });
  const errorRecords = (await mapLimit(eKeys, READ_CONCURRENCY, async (key) => errorOutputFindings(await readText(s.s3, errorBucket, key)))).flat();
  return {
    quarantine: quarantine.filter((q): q is QuarantineObject => q !== undefined),
    archived: archived.filter((a): a is ArchiveObject => a !== undefined),
    errorRecords,
  };
}

export interface TableFindings {
  state: Awaited<ReturnType<typeof readTableState>>;
  rawFound: Found[];
  /** message_ids of rows that carry drift fields. */
  driftIds: Set<string>;
}

/** The RAW table, read through the Glue catalog and S3: snapshots' added-records, and rows for per-topic identities. */
export async function readTable(s: StackInternals): Promise<TableFindings> {
  const state = await readTableState(s.table);
  const rows = await readRows(s.table);
  const rawFound: Found[] = [];
  const driftIds = new Set<string>();
  for (const r of rows) {
    const id = String(r.message_id);
    rawFound.push({ topic: String(r.topic_name), id });
    if (Array.isArray(r.drift_fields) && r.drift_fields.length > 0) driftIds.add(id);
  }
  return { state, rawFound, driftIds };
}

export interface TableItemFindings {
  /** Checkpoint sums per topic. */
  received: Record<string, number>;
  delivered: Record<string, number>;
  /** Error-tracker items (crash markers left out). */
  byStatus: Record<string, number>;
  byReason: Record<string, number>;
  trackerItems: Array<{ id: string; status: string }>;
  redriven: Set<string>;
  /** SQS ids of messages crash isolation re-queued as copies. */
  copies: Set<string>;
  breakerStates: Record<string, string>;
}

/** DynamoDB: checkpoints (received/delivered per topic), error tracker and crash markers, breaker locks. */
export async function readTables(s: StackInternals, topics: readonly string[]): Promise<TableItemFindings> {
  const [checkpoints, errors, locks] = await Promise.all([scanAll(s.dynamodb, s.plan.tables.checkpoints), scanAll(s.dynamodb, s.plan.tables.errors), scanAll(s.dynamodb, s.plan.tables.locks)]);
  const num = (item: Record<string, AttributeValue>, attr: string) => Number(item[attr]?.N ?? 0);
  const out: TableItemFindings = { received: {}, delivered: {}, byStatus: {}, byReason: {}, trackerItems: [], redriven: new Set(), copies: new Set(), breakerStates: {} };
  for (const item of checkpoints) {
    const topic = item[CHECKPOINTS.partitionKey]?.S ?? 'unknown';
    out.received[topic] = (out.received[topic] ?? 0) + num(item, CHECKPOINTS.attributes.received);
    out.delivered[topic] = (out.delivered[topic] ?? 0) + num(item, CHECKPOINTS.attributes.delivered);
  }
  for (const item of errors) {
    const sk = item[ERRORS.sortKey]?.S ?? '';
    // Crash isolation keeps its markers in the errors table; they are not tracker items. Copies it re-queued are known.
    if (isCrashMarkerKey(sk)) {
      if (item[CRASH_MARKERS.attributes.requeueOf]?.S) out.copies.add(sk.slice(CRASH_MARKERS.recordPrefix.length));
      continue;
    }
    const status = item[ERRORS.attributes.status]?.S ?? 'UNKNOWN';
    if (status === ('REDRIVEN' satisfies ErrorStatus) && sk) out.redriven.add(sk);
    out.byStatus[status] = (out.byStatus[status] ?? 0) + 1;
    out.trackerItems.push({ id: sk, status });
    const reason = item[ERRORS.attributes.errorClass]?.S ?? 'UNKNOWN';
    out.byReason[reason] = (out.byReason[reason] ?? 0) + 1;
  }
  for (const item of locks) {
    const topic = item[LOCKS.attributes.topic]?.S;
    if (topic) out.breakerStates[topic] = item[LOCKS.attributes.state]?.S ?? ('CLOSED' satisfies BreakerState);
  }
  for (const t of topics) out.breakerStates[t] ??= 'CLOSED' satisfies BreakerState;
  return out;
}

/** Breaker transitions and CloudWatch alarm state changes published to the alert topic. */
export function readAlerts(s: StackInternals): { transitions: BreakerTransitionView[]; alarmTransitions: Report['alarms']['transitions'] } {
  const transitions: BreakerTransitionView[] = [];
  const alarmTransitions: Report['alarms']['transitions'] = [];
  for (const m of s.sns.published(s.alertTopicArn)) {
    try {
      const doc = JSON.parse(m.message) as {
        type?: string;
        topic?: string;
        from?: string;
        to?: string;
        reason?: string;
        at?: string;
        AlarmName?: string;
        OldStateValue?: string;
        NewStateValue?: string;
      };
      if (doc.type === 'BreakerTransition' && doc.topic && doc.from && doc.to) transitions.push({ topic: doc.topic, from: doc.from, to: doc.to, reason: doc.reason ?? '', at: doc.at ?? m.timestamp });
      if (doc.AlarmName && doc.NewStateValue) alarmTransitions.push({ name: doc.AlarmName, from: doc.OldStateValue ?? '', to: doc.NewStateValue, at: m.timestamp });
    } catch {
      // an alarm notification or another message
    }
  }
  return { transitions, alarmTransitions };
}
