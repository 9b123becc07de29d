import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EnvironmentConfig } from '@lean-ops/config';
import type { TableOperations } from '@lean-ops/iceberg';
import type { FirehoseService } from '../firehose';
import type { AllowedCalls, DeniedCall } from '../iam/authorizer';
import type { ComputeActivity } from '../lambda';
import type { ReportOptions } from '../report/collect-report';
import type { Report } from '../report/report-types';
import type { Route } from '../server';
import type { SnsService } from '../sns';
import type { StackPlan } from '../plan/stack-plan-of';
import type { DropCounter } from './drop-counter';
import type { SentLedger } from './sent-ledger';
import type { Progress } from './settle-progress';

export interface LocalStackOptions {
  /**
   * Environment file; default `environments/local.tfvars` of the repository. The stack runs what it synthesizes
   * to, unless `stackFile` is given.
   */
  envFile?: string;
  /** A synthesized `cdk.tf.json` to run instead of synthesizing `envFile` (which still names the scenario's topics). */
  stackFile?: string;
  /** State directory (queues, warehouse, S3, DynamoDB); default: a fresh temp dir. */
  dataDir?: string;
  /** Port of the AWS endpoint; 0 or absent: any free port. */
  port?: number;
  /** Directory of the handler bundles the synthesis packages (`<bundleRoot>/<kind>/index.js`); default packages/handlers/dist. */
  bundleRoot?: string;
  /** Period of the CloudWatch alarms (default 5 s; 60 s on AWS). */
  alarmPeriodSeconds?: number;
  /** Schedule of the circuit breaker and the water-balance monitor (default 2 s; 1 minute on AWS). */
  scheduleSeconds?: number;
  /** Log lines of the stack and of every function (default: dropped). */
  log?: (line: string) => void;
  /**
   * Start the functions' execution environments before traffic arrives (as provisioned concurrency would),
   * so a burst does not pay every cold start at once; default true.
   */
  prewarm?: boolean;
}

/** What `serve` prints as its first stdout line. */
export interface ServeInfo {
  endpoint: string;
  region: string;
  queues: Record<string, string>;
  dlq: string;
  buckets: { warehouse: string; archive: string; artifacts: string };
  tables: { checkpoints: string; locks: string; errors: string };
  /** The RAW table's location: `s3://<warehouse bucket>/warehouse/<database>/<table>/`. */
  warehouse: string;
  /** The same table on disk, for tools that read a directory (see WarehouseMirror). */
  warehousePath: string;
  endpoints: { s3: string; dynamodb: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface FirehoseFaults {
  /** Share (0..1) of records failing per record on otherwise successful calls. */
  perRecordFailureRate?: number;
  /** Throttle every call for this long from now. */
  throttleForMs?: number;
}

export interface StackActivity extends ComputeActivity {
  firehose: { bufferedRows: number; failingRows: number; incomingRows: number; successfulRows: number; failedRows: number; commits: number; calls: number };
  s3Down: boolean;
  dynamoDown: boolean;
}

export interface LocalStack {
  endpoint: string;
  region: string;
  dataDir: string;
  config: EnvironmentConfig;
  info: ServeInfo;
  /** Topic -> queue URL. */
  queueUrls: Record<string, string>;
  dlqUrl: string;
  buckets: { warehouse: string; archive: string; artifacts: string };
  tables: { checkpoints: string; locks: string; errors: string };
  /** The RAW table's `s3://` location (its Glue StorageDescriptor.Location). */
  warehouse: string;
  faults: {
    setFirehose(f: FirehoseFaults): void;
    setS3Down(down: boolean): Promise<void>;
    setDynamoDown(down: boolean): Promise<void>;
  };
  activity(): Promise<StackActivity>;
  /** Sent and settled so far (what waitForSettled reports while it waits). */
  progress(): Promise<Progress>;
  /** Until every queue is empty, nothing is in flight and the Firehose buffers are committed. */
  waitForSettled(opts?: { timeoutMs?: number; onProgress?: (p: Progress) => void }): Promise<void>;
  report(opts?: ReportOptions): Promise<Report>;
  /** Adds a plain route to the endpoint (e.g. `POST /_lean-ops/drain`). */
  addRoute(route: Route): void;
  stop(): Promise<void>;
}

/** Internals the report collector reads (not part of the public API). */
export interface StackInternals {
  config: EnvironmentConfig;
  plan: StackPlan;
  dataDir: string;
  warehouse: string;
  /** The RAW table through the Glue catalog and S3, as the administrator reads it. */
  table: TableOperations;
  /** Brings the table's mirror on disk up to date. */
  syncWarehouseMirror(): Promise<void>;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  ledger: SentLedger;
  firehose: FirehoseService;
  sns: SnsService;
  alertTopicArn: string;
  dropping: DropCounter;
  /** SQS message ids held by processor invocations that crashed or timed out (duplicates are attributed with it). */
  failedHolders(): ReadonlyMap<string, 'crash' | 'timeout'>;
  activity(): Promise<StackActivity>;
  /** Calls the plan's policies denied (principal, action, resource, count). */
  denied(): DeniedCall[];
  /** Calls the policies allowed, by principal and action. */
  allowed(): AllowedCalls[];
}
