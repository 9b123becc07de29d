import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { CRASH_STATE_ATTRIBUTE, epochMicrosOf, queueNameFromArn, topicFromQueueName, type Reason } from '@lean-ops/contracts';
import { parseCrashState, requeuedFromOf, type CrashState, type RecordMarker } from '../core/crash-state';
import { DEFAULT_BUDGET, InvocationBudget, type BudgetOptions } from '../core/invocation-budget';
import type { Deliverable } from '../core/prepare-record';
import type { MarkerStore } from '../lib/crash-markers';
import type { ProcessorConfig } from './config';

export interface ProcessorDeps {
  config: ProcessorConfig;
  firehose: FirehoseClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /** Retry pacing (ChangeMessageVisibilityBatch) and crash isolation re-queues (SendMessageBatch) on topic queues. */
  sqs: SQSClient;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The invocation budget's settings (DEFAULT_BUDGET unless given). */
  budget?: BudgetOptions;
}

export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export type Outcome =
  | { status: 'delivered' }
  | { status: 'dropped'; reason: Reason }
  | { status: 'retry'; reason: Reason; detail: string; deferred?: boolean; unmarked?: boolean }
  /** Sent again as a new message by crash isolation (the original is deleted). */
  | { status: 'requeued' };

export interface DropJob {
  index: number;
  topic: string;
  messageId: string;
  reason: Reason;
  detail: string;
  crashCount?: number;
}

/** Everything one invocation knows about its batch while it works. */
export interface BatchState {
  deps: ProcessorDeps;
  config: ProcessorConfig;
  now: Date;
  /** Epoch microseconds: the RAW column's unit (Firehose takes Iceberg timestamps only as microseconds). */
  ingestedAtMicros: number;
  records: SQSRecord[];
  outcomes: Array<Outcome | undefined>;
  topicOf: string[];
  deliverables: Array<Deliverable & { index: number }>;
  drops: DropJob[];
  extraAttributes: Map<string, Set<string>>;
  firehoseCalls: Map<string, number>;
  budget: InvocationBudget;
  /** Crash state of records seen before (second or later receive, or a re-queued copy). */
  crashStates: Map<number, CrashState>;
  /** Markers read for records seen before, by index. */
  markers: Map<number, RecordMarker>;
  /** Records a careful run processes alone, first (pinned before, or in the group a run died in). */
  suspects: Set<number>;
}

/** The crash state a re-queued copy carries, if any. */
export const carriedCrashState = (r: SQSRecord | undefined): CrashState | undefined => parseCrashState(r?.messageAttributes?.[CRASH_STATE_ATTRIBUTE]?.stringValue);

/** The SQS message id this record is a re-queued copy of, if it is one. */
export const requeuedFrom = (r: SQSRecord | undefined): string | undefined => requeuedFromOf(r?.messageAttributes?.[CRASH_STATE_ATTRIBUTE]?.stringValue);

export function newBatch(records: SQSRecord[], context: InvocationContext, deps: ProcessorDeps): BatchState {
  const now = deps.now?.() ?? new Date();
  const { config } = deps;
  const topicOf = records.map((r) => {
    const arn = String(r?.eventSourceARN ?? '');
    return config.topics.forQueueArn(arn)?.topic ?? topicFromQueueName(config.namePrefix, queueNameFromArn(arn)) ?? 'unknown';
  });
  return {
    deps,
    config,
    now,
    ingestedAtMicros: epochMicrosOf(now),
    records,
    outcomes: new Array(records.length),
    topicOf,
    deliverables: [],
    drops: [],
    extraAttributes: new Map(),
    firehoseCalls: new Map(),
    budget: new InvocationBudget(() => context.getRemainingTimeInMillis(), deps.budget ?? DEFAULT_BUDGET),
    crashStates: new Map(),
    markers: new Map(),
    suspects: new Set(),
  };
}

/** The record at index `i` of the batch; an index outside it is a bug in the caller, never a state of the batch. */
export function recordAt(b: BatchState, i: number): SQSRecord {
  const r = b.records[i];
  if (r === undefined) throw new RangeError(`record index ${i} is outside the batch of ${b.records.length}`);
  return r;
}

/** The topic of the record at index `i` ('unknown' for a queue no topic is configured for, as newBatch names it). */
export function topicAt(b: BatchState, i: number): string {
  return b.topicOf[i] ?? 'unknown';
}

export function markerStore(b: BatchState): MarkerStore {
  return { ddb: b.deps.dynamodb, table: b.config.errorsTable, ttlDays: b.config.errorTtlDays, now: b.now };
}
