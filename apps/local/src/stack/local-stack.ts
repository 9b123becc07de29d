import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadEnvironment, type EnvironmentConfig } from '@lean-ops/config';
import { FUNCTION_KINDS, LIMITS, LOCKS, handlerEnv, names, type BreakerState, type FunctionKind } from '@lean-ops/contracts';
import { bundlePath } from '@lean-ops/handlers';
import { AlarmEvaluator, MetricStore, dlqAlarms, errorRateAlarm, waterBalanceGapAlarm } from '../cloudwatch';
import { S3RVER_CREDENTIALS, createTables, startDynamo, startS3 } from '../embedded';
import { FaultRegistry } from '../faults';
import { FirehoseService, streamPaths } from '../firehose';
import { EventSourceMappings, LambdaRuntime, LambdaService, computeActivity, type ComputeActivity } from '../lambda';
import { collectReport, type ReportOptions } from '../report/collect-report';
import type { Report } from '../report/report-types';
import { startServer, type Route, type RunningServer } from '../server';
import { SnsService } from '../sns';
import { QueueStore, SqsService, queueArn, queueUrl } from '../sqs';
import { DEFAULT_ENV_FILE } from './repo-root';
import { DropCounter } from './drop-counter';
import { RestartableServer } from './restartable-server';
import { SentLedger } from './sent-ledger';
import { handlerEnvValues, stackPlan, type StackPlan } from './stack-plan';
import { settleProgress, type Progress } from './settle-progress';

export type { Progress } from './settle-progress';

export interface LocalStackOptions {
  /** Environment file; default `environments/local.tfvars` of the repository. */
  envFile?: string;
  /** State directory (queues, warehouse, S3, DynamoDB); default: a fresh temp dir. */
  dataDir?: string;
  /** Port of the AWS endpoint; 0 or absent: any free port. */
  port?: number;
  /** Directory of the handler bundles (`<bundleRoot>/<kind>/index.js`); default packages/handlers/dist. */
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
  warehouse: string;
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
  /** Absolute path of the RAW table directory. */
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
}

const SETTLE_POLL_MS = 250;

function scheduledEvent(region: string, accountId: string, ruleName: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${accountId}:rule/${ruleName}`],
    detail: {},
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the whole pipeline on 127.0.0.1: embedded S3 and DynamoDB, the AWS endpoint, the four functions and their triggers. */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const config = await loadEnvironment(opts.envFile ?? DEFAULT_ENV_FILE);
  const plan = stackPlan(config);
  const region = plan.region;
  const dataDir = path.resolve(opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const alarmPeriodSeconds = opts.alarmPeriodSeconds ?? 5;
  const scheduleSeconds = opts.scheduleSeconds ?? 2;
  const bundleOf = (kind: FunctionKind) => (opts.bundleRoot ? path.join(path.resolve(opts.bundleRoot), kind, 'index.js') : bundlePath(kind));
  for (const kind of FUNCTION_KINDS) {
    if (!fs.existsSync(bundleOf(kind))) throw new Error(`handler bundle ${bundleOf(kind)} is missing: build it with npx tsx packages/handlers/scripts/bundle.ts`);
  }

  const cleanup: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        log(`stop: ${String(err)}`);
      }
    }
  };

  try {
    // Embedded S3 and DynamoDB, each on its own port, restartable for outages.
    const s3Server = await new RestartableServer((port) => startS3({ dataDir: path.join(dataDir, 's3'), port, buckets: Object.values(plan.buckets) })).open();
    cleanup.push(() => s3Server.close());
    const dynamoServer = await new RestartableServer((port) => startDynamo({ dataDir: path.join(dataDir, 'dynamodb'), port })).open();
    cleanup.push(() => dynamoServer.close());
    const s3 = new S3Client({
      region,
      endpoint: s3Server.url,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const dynamodb = new DynamoDBClient({ region, endpoint: dynamoServer.url, credentials: S3RVER_CREDENTIALS });
    cleanup.push(() => {
      s3.destroy();
      dynamodb.destroy();
    });
    await createTables(dynamodb, plan.tables);

    // SQS with its journal; every message a topic queue accepts goes into the sent ledger.
    const faults = FaultRegistry.forDataDir(dataDir);
    cleanup.push(() => faults.close());
    const ledger = SentLedger.forDataDir(dataDir);
    cleanup.push(() => ledger.close());
    const topicOfQueue = new Map(plan.topicQueues.map((q) => [q.name, q.topic!]));
    const store = new QueueStore({
      region,
      dataDir,
      faults,
      onSend: (queue, id, body) => {
        const topic = topicOfQueue.get(queue);
        if (topic) ledger.record(topic, id, body);
      },
    });
    cleanup.push(() => store.close());
    const ensureQueue = (name: string, attributes: Record<string, string>) =>
      store.hasQueue(name) ? store.setAttributes(name, attributes) : store.createQueue(name, attributes);
    ensureQueue(plan.dlq.name, plan.dlq.attributes);
    for (const q of plan.topicQueues) ensureQueue(q.name, q.attributes);
    // At most 10 source queues (contracts: sqsMaxRedriveSourceQueues), which the config already enforces.
    store.setAttributes(plan.dlq.name, {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: plan.topicQueues.map((q) => queueArn(region, q.name)) }),
    });

    // CloudWatch: metrics from the functions' EMF log lines; the processor's DROPPING lines counted per reason.
    const metrics = new MetricStore();
    const dropping = DropCounter.forDataDir(dataDir);
    cleanup.push(() => dropping.close());
    const processorName = plan.functions['sqs-processor'].name;
    const runtime = new LambdaRuntime({
      region,
      onLog: (fn, line) => {
        metrics.ingestLogLine(line);
        if (fn === processorName) dropping.ingest(line);
        log(`${fn} ${line}`);
      },
    });
    cleanup.push(() => runtime.close());

    const firehose = new FirehoseService({
      region,
      dataDir,
      streams: [
        {
          name: plan.stream.name,
          database: plan.stream.database,
          table: plan.stream.table,
          bufferSizeMb: config.firehose.bufferSizeMb,
          bufferIntervalSeconds: config.firehose.bufferIntervalSeconds,
          retryDurationSeconds: config.firehose.retryDurationSeconds,
          errorOutputBucket: plan.stream.errorOutputBucket,
        },
      ],
      writeErrorObject: async (bucket, key, body) => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
      },
      faults,
      onMetric: (dp) => metrics.put(dp),
      onError: (err) => log(`firehose: ${String(err)}`),
    });
    await firehose.open();
    cleanup.push(() => firehose.close());
    const warehouse = streamPaths(dataDir, plan.stream.database, plan.stream.table, plan.stream.name).tableLocation;

    // Lambda faults ask for a crash or hang of the SQS processor; the DLQ processor archives such messages unharmed.
    const esm = new EventSourceMappings({ store, runtime, faults, faultFunctions: new Set([processorName]), region, onError: (err) => log(`event source mapping: ${String(err)}`) });
    const sns = new SnsService({ region, accountId: plan.accountId, invokeLambda: (fn, event) => runtime.invoke(fn, event), onDeliveryError: (err, sub) => log(`sns delivery ${sub}: ${String(err)}`) });
    const alertTopicArn = sns.createTopic(plan.alertTopic);

    let server: RunningServer | undefined;
    const sqsService = new SqsService(store, { endpoint: () => server?.url });
    server = await startServer({
      port: opts.port ?? 0,
      services: [sqsService, firehose, new LambdaService(runtime, esm), sns],
      onError: (err, req) => log(`endpoint ${req.target ?? req.path}: ${String(err)}`),
    });
    const endpoint = server.url;
    const running = server;
    cleanup.push(() => running.close());
    // Stopping runs in reverse: the pollers stop and their invocations finish while the endpoint is still up.
    cleanup.push(() => esm.close());

    // The four functions, each with the environment ComputeModule gives it on AWS, pointed at the local endpoints.
    const envValues = handlerEnvValues(config, plan, endpoint, alertTopicArn);
    const awsEnv: Record<string, string> = {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_S3: s3Server.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoServer.url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      // Lambda runs these bundles on nodejs22.x; the SDK's notice about older Node versions is noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    for (const kind of FUNCTION_KINDS) {
      const f = plan.functions[kind];
      runtime.register({
        name: f.name,
        handlerFile: bundleOf(kind),
        env: { ...awsEnv, ...handlerEnv(kind, envValues) },
        timeoutSeconds: f.size.timeoutSeconds,
        memoryMb: f.size.memoryMb,
        concurrency: f.concurrency,
      });
    }

    if (opts.prewarm ?? true) {
      await Promise.all(FUNCTION_KINDS.map((kind) => runtime.warm(plan.functions[kind].name, kind === 'sqs-processor' ? plan.functions[kind].concurrency : 1)));
    }

    // A breaker left OPEN (or probing) by a previous run of this data dir keeps its mapping stopped (or throttled).
    const breakerStates = await readBreakerStates(dynamodb, plan.tables.locks);
    for (const m of plan.mappings) {
      const state = m.topic ? breakerStates[m.topic] : undefined;
      esm.create({
        uuid: m.uuid,
        functionName: m.functionName,
        eventSourceArn: queueArn(region, m.queueName),
        batchSize: m.batchSize,
        maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
        maximumConcurrency: state === ('HALF_OPEN' satisfies BreakerState) ? LIMITS.esmMinMaximumConcurrency : m.maximumConcurrency,
        functionResponseTypes: ['ReportBatchItemFailures'],
        enabled: state !== ('OPEN' satisfies BreakerState),
      });
    }

    // Alarms as ObservabilityModule defines them, notifying the alert topic; the breaker is subscribed to it.
    const evaluator = new AlarmEvaluator({
      region,
      accountId: plan.accountId,
      actionTopicArn: alertTopicArn,
      publish: (topicArn, subject, message) => sns.publish({ topicArn, subject, message }),
      alarms: [
        ...config.topics.map((t) =>
          errorRateAlarm({
            namePrefix: plan.prefix,
            topic: t.name,
            thresholdPercent: config.alarms.errorRatePercent,
            minErrors: config.alarms.errorRateMinErrors,
            periodSeconds: alarmPeriodSeconds,
            evaluationPeriods: 1,
            store: metrics,
          }),
        ),
        ...dlqAlarms({
          namePrefix: plan.prefix,
          dlqName: plan.dlq.name,
          depthThreshold: config.alarms.dlqDepth,
          maxAgeSeconds: config.alarms.dlqMaxAgeSeconds,
          periodSeconds: alarmPeriodSeconds,
          queueStats: () => ({ visible: store.counts(plan.dlq.name).visible, oldestAgeSeconds: store.approximateAgeOfOldestMessage(plan.dlq.name) }),
        }),
        waterBalanceGapAlarm({ namePrefix: plan.prefix, topics: config.topics.map((t) => t.name), threshold: config.alarms.waterBalanceGap, periodSeconds: alarmPeriodSeconds, store: metrics }),
      ],
    });
    const breakerName = plan.functions['circuit-breaker'].name;
    sns.subscribe(
      alertTopicArn,
      async (event) => {
        const r = await runtime.invoke(breakerName, event);
        if (!r.ok) throw new Error(`${breakerName}: ${r.errorType}: ${r.errorMessage}`);
      },
      runtime.functionArn(breakerName),
    );
    evaluator.start(alarmPeriodSeconds * 1000);
    cleanup.push(() => evaluator.stop());
    cleanup.push(() => sns.idle());

    // EventBridge schedules: one run at a time per function, as a rate() rule with a short function would.
    const scheduled = (['circuit-breaker', 'water-balance'] as const).map((kind) => ({ kind, running: undefined as Promise<unknown> | undefined }));
    const timer = setInterval(() => {
      for (const s of scheduled) {
        if (s.running) continue;
        const name = plan.functions[s.kind].name;
        s.running = runtime
          .invoke(name, scheduledEvent(region, plan.accountId, names.schedule(plan.prefix, s.kind)))
          .then((r) => {
            if (!r.ok) log(`schedule ${name}: ${r.errorType}: ${r.errorMessage}`);
          })
          .catch((err) => log(`schedule ${name}: ${String(err)}`))
          .finally(() => (s.running = undefined));
      }
    }, scheduleSeconds * 1000);
    timer.unref();
    cleanup.push(async () => {
      clearInterval(timer);
      await Promise.all(scheduled.map((s) => s.running));
    });

    const activity = async (): Promise<StackActivity> => {
      const compute = computeActivity(store, esm, runtime);
      const st = firehose.stats(plan.stream.name);
      const fh = {
        bufferedRows: st.bufferedRows,
        failingRows: st.failingRows,
        incomingRows: st.IncomingRowCount,
        successfulRows: st.SuccessfulRowCount,
        failedRows: st.FailedRowCount,
        commits: st.commits,
        calls: st.calls,
      };
      return { ...compute, firehose: fh, idle: compute.idle && fh.bufferedRows === 0 && fh.failingRows === 0, s3Down: s3Server.down, dynamoDown: dynamoServer.down };
    };

    const queueUrls = Object.fromEntries(plan.topicQueues.map((q) => [q.topic!, queueUrl(endpoint, q.name)]));
    const dlqUrl = queueUrl(endpoint, plan.dlq.name);
    const info: ServeInfo = {
      endpoint,
      region,
      queues: queueUrls,
      dlq: dlqUrl,
      buckets: { ...plan.buckets },
      tables: { ...plan.tables },
      warehouse,
      endpoints: { s3: s3Server.url, dynamodb: dynamoServer.url },
      credentials: { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey },
    };
    const internals: StackInternals = { config, plan, dataDir, warehouse, s3, dynamodb, ledger, firehose, sns, alertTopicArn, dropping, activity, failedHolders: () => esm.failedHolders() };

    let stopped: Promise<void> | undefined;
    const started = Date.now();
    log(`local stack up: ${endpoint} (data dir ${dataDir})`);
    return {
      endpoint,
      region,
      dataDir,
      config,
      info,
      queueUrls,
      dlqUrl,
      buckets: info.buckets,
      tables: info.tables,
      warehouse,
      faults: {
        setFirehose: (f) =>
          firehose.setFaults({
            ...(f.perRecordFailureRate !== undefined ? { perRecordFailureRate: f.perRecordFailureRate } : {}),
            ...(f.throttleForMs ? { throttleUntil: Date.now() + f.throttleForMs } : {}),
          }),
        setS3Down: (down) => s3Server.setDown(down),
        setDynamoDown: (down) => dynamoServer.setDown(down),
      },
      activity,
      progress: async () => settleProgress(await activity(), plan, ledger.sentThisRun, Date.now() - (ledger.firstAtThisRun ?? started)),
      async waitForSettled(o = {}) {
        const deadline = Date.now() + (o.timeoutMs ?? 10 * 60_000);
        let quietChecks = 0;
        for (;;) {
          const a = await activity();
          o.onProgress?.(settleProgress(a, plan, ledger.sentThisRun, Date.now() - (ledger.firstAtThisRun ?? started)));
          const queuesQuiet = Object.values(a.queues).every((q) => q.visible + q.inFlight + q.delayed === 0) && Object.values(a.mappings).every((m) => m.inFlight === 0);
          if (queuesQuiet && a.firehose.bufferedRows > 0) await firehose.flush();
          // Records that do not fit the table wait out the retry duration before the error output, as on AWS.
          if (queuesQuiet && a.firehose.bufferedRows === 0 && a.firehose.failingRows > 0) await firehose.drain();
          quietChecks = a.idle && !a.s3Down && !a.dynamoDown ? quietChecks + 1 : 0;
          // Twice in a row: a mapping's poll may be between receiving and invoking at one look.
          if (quietChecks >= 2) {
            await sns.idle();
            await firehose.flush();
            return;
          }
          if (Date.now() > deadline) throw new Error(`not settled after ${o.timeoutMs ?? 600_000} ms: ${JSON.stringify(settleProgress(a, plan, ledger.sentThisRun, Date.now() - started))}`);
          await sleep(SETTLE_POLL_MS);
        }
      },
      report: (o = {}) => collectReport(internals, o),
      addRoute: (route) => running.addRoute(route),
      stop() {
        stopped ??= stopAll().then(() => log('local stack stopped'));
        return stopped;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function readBreakerStates(dynamodb: DynamoDBClient, table: string): Promise<Record<string, BreakerState>> {
  const out: Record<string, BreakerState> = {};
  let start: Record<string, never> | undefined;
  do {
    const r = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of r.Items ?? []) {
      const topic = item[LOCKS.attributes.topic]?.S;
      const state = item[LOCKS.attributes.state]?.S;
      if (topic && state) out[topic] = state as BreakerState;
    }
    start = r.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return out;
}

