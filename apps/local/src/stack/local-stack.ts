import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadEnvironment, type EnvironmentConfig } from '@lean-ops/config';
import { LIMITS, type BreakerState } from '@lean-ops/contracts';
import { AlarmEvaluator, MetricStore, ServiceMetrics, alarmFromSpec } from '../cloudwatch';
import { S3RVER_CREDENTIALS, startDynamo, startS3 } from '../embedded';
import { FaultRegistry } from '../faults';
import { FirehoseService } from '../firehose';
import { buildIamPlan } from '../iam/iam-plan';
import { stackAuthorization } from '../iam/stack-authorization';
import { EventSourceMappings, LambdaRuntime, LambdaService, computeActivity, type LambdaServiceOptions } from '../lambda';
import { buildTopology } from '../plan/build-topology';
import { loadPlanSource, type PlanSource } from '../plan/plan-source';
import { stackPlanOf, type StackPlan } from '../plan/stack-plan-of';
import { collectReport } from '../report/collect-report';
import { startServer, type RunningServer } from '../server';
import { SnsService } from '../sns';
import { QueueStore, SqsQueryService, SqsService, queueArn, queueUrl } from '../sqs';
import { DEFAULT_ENV_FILE } from './repo-root';
import { DropCounter } from './drop-counter';
import { RestartableServer } from './restartable-server';
import { wireCatalog } from './wire-catalog';
import { SentLedger } from './sent-ledger';
import { settleProgress } from './settle-progress';
import type { LocalStack, LocalStackOptions, ServeInfo, StackActivity, StackInternals } from './local-stack-types';
import { registerFunctions } from './wire-functions';
import { startSchedules } from './wire-schedules';
import { createPlanTables, readBreakerStates } from './wire-tables';

export type { Progress } from './settle-progress';
export type { FirehoseFaults, LocalStack, LocalStackOptions, ServeInfo, StackActivity, StackInternals } from './local-stack-types';

const SETTLE_POLL_MS = 250;
// Queue URLs are the only names that carry the endpoint; the plan is named again once the endpoint listens.
const PENDING_ENDPOINT = 'http://127.0.0.1:0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The environment, the Terraform the stack runs, and the plan read from it (queue URLs not yet known). */
async function loadStack(opts: LocalStackOptions, dataDir: string): Promise<{ config: EnvironmentConfig; source: PlanSource; plan: StackPlan }> {
  const envFile = opts.envFile ?? DEFAULT_ENV_FILE;
  const config = await loadEnvironment(envFile);
  const source = await loadPlanSource({ stackFile: opts.stackFile, envFile, outdir: path.join(dataDir, 'synth'), bundleRoot: opts.bundleRoot });
  const plan = stackPlanOf(buildTopology(source.json, { stackDir: source.stackDir, endpoint: PENDING_ENDPOINT }));
  if (plan.prefix !== config.namePrefix) {
    throw new Error(`${source.stackFile} was synthesized for prefix ${plan.prefix}, but ${envFile} names ${config.namePrefix}: pass the matching --env`);
  }
  return { config, source, plan };
}

/** Starts the whole pipeline on 127.0.0.1 as the synthesized stack declares it: storage, queues, functions, triggers. */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const { config, source, plan: pending } = await loadStack(opts, dataDir);
  const region = pending.region;
  // The plan's policies, decided on every call to the endpoint and on the calls services make themselves.
  const iam = stackAuthorization(buildIamPlan(source.json, { region, endpoint: PENDING_ENDPOINT }), { log, adminAccessKeyId: S3RVER_CREDENTIALS.accessKeyId });
  const alarmPeriodSeconds = opts.alarmPeriodSeconds ?? 5;
  const scheduleSeconds = opts.scheduleSeconds ?? 2;

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
    // Embedded S3 and DynamoDB, each on its own port, restartable for outages; the plan's buckets and tables.
    const s3Server = await new RestartableServer((port) => startS3({ dataDir: path.join(dataDir, 's3'), port, buckets: pending.topology.buckets.map((b) => b.name) })).open();
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
    // The functions reach S3 and DynamoDB through endpoints that decide each call against the plan's policies.
    const storage = await iam.storageProxies({ s3: () => s3Server.url, dynamodb: () => dynamoServer.url });
    cleanup.push(() => Promise.all([storage.s3.close(), storage.dynamodb.close()]).then(() => undefined));
    const dynamodb = new DynamoDBClient({ region, endpoint: dynamoServer.url, credentials: S3RVER_CREDENTIALS });
    cleanup.push(() => {
      s3.destroy();
      dynamodb.destroy();
    });
    await createPlanTables(dynamodb, pending.topology.tables);
    let server: RunningServer | undefined;
    // The Glue Data Catalog of the plan; Firehose commits the RAW table through it, its files in the warehouse bucket.
    const catalog = await wireCatalog({
      dataDir,
      region,
      accountId: pending.accountId,
      topology: pending.topology,
      stream: pending.stream,
      adminS3: s3,
      s3Dir: path.join(dataDir, 's3'),
      endpoint: () => server!.url,
      s3Endpoint: () => storage.s3.url,
    });
    cleanup.push(() => catalog.close());

    // SQS with its journal; every message a topic queue accepts goes into the sent ledger.
    const faults = FaultRegistry.forDataDir(dataDir);
    cleanup.push(() => faults.close());
    const ledger = SentLedger.forDataDir(dataDir);
    cleanup.push(() => ledger.close());
    const topicOfQueue = new Map(pending.topicQueues.map((q) => [q.name, q.topic!]));
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
    // Queues first, then their policies: a redrive policy names a DLQ that must exist.
    for (const q of pending.topology.queues) {
      const { RedrivePolicy: _r, RedriveAllowPolicy: _a, ...plain } = q.attributes;
      if (store.hasQueue(q.name)) store.setAttributes(q.name, plain);
      else store.createQueue(q.name, plain);
    }
    for (const q of pending.topology.queues) {
      const policies = Object.fromEntries(Object.entries(q.attributes).filter(([k]) => k === 'RedrivePolicy' || k === 'RedriveAllowPolicy'));
      if (Object.keys(policies).length > 0) store.setAttributes(q.name, policies);
    }

    // CloudWatch: metrics from the functions' EMF log lines the role may deliver; the processor's DROPPING lines counted per reason.
    const metrics = new MetricStore();
    const dropping = DropCounter.forDataDir(dataDir);
    cleanup.push(() => dropping.close());
    const processorName = pending.functions['sqs-processor'].name;
    const runtime = new LambdaRuntime({
      region,
      onLog: (fn, line) => {
        // A line CloudWatch Logs refuses is lost on AWS, and the EMF metrics in it: kept in the stack log only, marked.
        if (!iam.logsDelivered(fn)) return log(`${fn} [not delivered to CloudWatch Logs: AccessDenied] ${line}`);
        metrics.ingestLogLine(line);
        if (fn === processorName) dropping.ingest(line);
        log(`${fn} ${line}`);
      },
    });
    cleanup.push(() => runtime.close());

    const stream = pending.topology.streams.find((st) => st.name === pending.stream.name)!;
    const firehose = new FirehoseService({
      region,
      dataDir,
      // A StreamSpec carries every FirehoseStreamConfig field as synthesized (buffering, retry, error output).
      // Each stream writes its table with its role's credentials: every Glue and S3 call is decided by the policies.
      streams: pending.topology.streams.map((st) => ({
        ...st,
        tableOperations: () => catalog.table(iam.functionCredentials(st.name, st.roleArn).AWS_ACCESS_KEY_ID, st),
        onCommit: () => void catalog.mirror.sync().catch((err: unknown) => log(`warehouse mirror: ${String(err)}`)),
      })),
      writeErrorObject: async (bucket, key, body) => {
        iam.firehoseWrite(stream, bucket, key);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
      },
      faults,
      onMetric: (dp) => metrics.put(dp),
      onError: (err) => log(`firehose: ${String(err)}`),
    });
    const warehouse = catalog.warehouse;

    // Lambda faults ask for a crash or hang of the SQS processor; the DLQ processor archives such messages unharmed.
    const esm = new EventSourceMappings({ store, runtime, faults, faultFunctions: new Set([processorName]), region, onError: (err) => log(`event source mapping: ${String(err)}`) });
    const sns = new SnsService({
      region,
      accountId: pending.accountId,
      // Subscriptions made through the API: SNS invokes as sns.amazonaws.com, as the function policy allows.
      invokeLambda: async (fn, event) => {
        iam.serviceInvoke('sns.amazonaws.com', fn, event.Records[0]?.Sns.TopicArn ?? '');
        return runtime.invoke(fn, event);
      },
      onDeliveryError: (err, sub) => log(`sns delivery ${sub}: ${String(err)}`),
    });
    for (const t of pending.topology.topics) sns.createTopic(t.name);

    const sqsService = new SqsService(store, { endpoint: () => server?.url });
    server = await startServer({
      port: opts.port ?? 0,
      services: iam.guard([sqsService, new SqsQueryService(sqsService), firehose, new LambdaService(runtime, esm, lambdaApiOptions(pending)), sns, catalog.service]),
      onError: (err, req) => log(`endpoint ${req.target ?? req.path}: ${String(err)}`),
      onUnsupported: (service, operation) => log(`endpoint: unsupported operation ${operation} (${service})`),
    });
    const endpoint = server.url;
    const running = server;
    cleanup.push(() => running.close());
    // Firehose reaches its table through the endpoint: it opens once that listens and closes before it stops.
    await firehose.open();
    cleanup.push(() => firehose.close());
    await catalog.mirror.sync();
    // Stopping runs in reverse: the pollers stop and their invocations finish while the endpoint is still up.
    cleanup.push(() => esm.close());

    // Named again now that the endpoint listens: queue URLs in the functions' environments point at it.
    const plan = stackPlanOf(buildTopology(source.json, { stackDir: source.stackDir, endpoint }));
    const alertTopicArn = sns.topicArn(plan.alertTopic);
    await registerFunctions(runtime, Object.values(plan.functions), {
      dataDir,
      credentials: (f) => iam.functionCredentials(f.name, f.roleArn),
      awsEnv: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ENDPOINT_URL_S3: storage.s3.url,
        AWS_ENDPOINT_URL_DYNAMODB: storage.dynamodb.url,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        // The SDK's notice about Node versions it will drop is noise in the stack log.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    if (opts.prewarm ?? true) {
      await Promise.all(Object.values(plan.functions).map((f) => runtime.warm(f.name, f.kind === 'sqs-processor' ? f.concurrency : 1)));
    }

    // A breaker left OPEN (or probing) by a previous run of this data dir keeps its mapping stopped (or throttled).
    const breakerStates = await readBreakerStates(dynamodb, plan.tables.locks);
    for (const m of plan.mappings) {
      iam.checkMapping(m.functionName, plan.topology.functions.find((f) => f.name === m.functionName)?.roleArn ?? '', m.queueName);
      const state = m.topic ? breakerStates[m.topic] : undefined;
      esm.create({
        uuid: m.uuid,
        functionName: m.functionName,
        eventSourceArn: queueArn(region, m.queueName),
        batchSize: m.batchSize,
        maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
        maximumConcurrency: state === ('HALF_OPEN' satisfies BreakerState) ? LIMITS.esmMinMaximumConcurrency : (m.maximumConcurrency ?? LIMITS.esmMaxMaximumConcurrency),
        functionResponseTypes: m.functionResponseTypes,
        enabled: m.enabled && state !== ('OPEN' satisfies BreakerState),
      });
    }

    // The plan's subscriptions: Lambda endpoints are invoked; other protocols (e-mail) are not delivered locally.
    for (const sub of plan.topology.subscriptions) {
      if (sub.protocol !== 'lambda') {
        log(`sns: ${sub.address}: ${sub.protocol} subscription ${sub.endpoint} is not delivered locally`);
        continue;
      }
      sns.subscribe(
        sub.topicArn,
        async (event) => {
          iam.serviceInvoke('sns.amazonaws.com', sub.endpoint, sub.topicArn);
          const r = await runtime.invoke(sub.endpoint, event);
          if (!r.ok) throw new Error(`${sub.endpoint}: ${r.errorType}: ${r.errorMessage}`);
        },
        sub.endpoint,
      );
    }

    // The plan's alarms as synthesized, over the functions' EMF metrics, Firehose's and the sampled SQS and Lambda metrics.
    const serviceMetrics = new ServiceMetrics(metrics, {
      queues: () => plan.topology.queues.map((q) => ({ name: q.name, visible: store.counts(q.name).visible, oldestAgeSeconds: store.approximateAgeOfOldestMessage(q.name) })),
      functions: () => Object.entries(runtime.stats()).map(([name, st]) => ({ name, invocations: st.invocations, errors: st.errors })),
    });
    const evaluator = new AlarmEvaluator({
      region,
      accountId: plan.accountId,
      actionTopicArn: alertTopicArn,
      publish: async (topicArn, subject, message) => {
        if (iam.alarmPublish(topicArn, message)) return;
        await sns.publish({ topicArn, subject, message });
      },
      alarms: plan.topology.alarms.map((spec) => alarmFromSpec(spec, { store: metrics, periodSeconds: alarmPeriodSeconds })),
      beforeEvaluate: (now) => serviceMetrics.sample(now),
    });
    evaluator.start(alarmPeriodSeconds * 1000);
    cleanup.push(() => evaluator.stop());
    cleanup.push(() => sns.idle());
    cleanup.push(startSchedules(runtime, plan.topology.schedules, { region, accountId: plan.accountId, everySeconds: scheduleSeconds, log, authorize: iam.scheduleInvoke }));

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
      warehousePath: catalog.warehousePath,
      endpoints: { s3: s3Server.url, dynamodb: dynamoServer.url },
      credentials: { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey },
    };
    const internals: StackInternals = {
      config,
      plan,
      dataDir,
      warehouse,
      table: catalog.table(S3RVER_CREDENTIALS.accessKeyId, plan.stream),
      syncWarehouseMirror: () => catalog.mirror.sync(),
      s3,
      dynamodb,
      ledger,
      firehose,
      sns,
      alertTopicArn,
      dropping,
      activity,
      failedHolders: () => esm.failedHolders(),
      denied: () => iam.denied(),
      allowed: () => iam.allowed(),
    };

    let stopped: Promise<void> | undefined;
    const started = Date.now();
    log(`local stack up: ${endpoint} (data dir ${dataDir}, stack ${source.stackFile})`);
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
          // A failed commit is logged (onError) and retried; its records reach the error output after the retry duration.
          if (queuesQuiet && a.firehose.bufferedRows > 0) await firehose.flush().catch(() => undefined);
          // Records that do not fit the table wait out the retry duration before the error output, as on AWS.
          if (queuesQuiet && a.firehose.bufferedRows === 0 && a.firehose.failingRows > 0) await firehose.drain().catch(() => undefined);
          quietChecks = a.idle && !a.s3Down && !a.dynamoDown ? quietChecks + 1 : 0;
          // Twice in a row: a mapping's poll may be between receiving and invoking at one look.
          if (quietChecks >= 2) {
            await sns.idle();
            await firehose.flush().catch(() => undefined);
            await catalog.mirror.sync();
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

/** Mapping changes made through the API report their transitional state for a second, as AWS's take seconds. */
const MAPPING_STATE_TRANSITION_MS = 1000;

/** The Lambda API's view of the plan: each function's execution role as synthesized. */
function lambdaApiOptions(plan: StackPlan): LambdaServiceOptions {
  const roles = new Map(Object.values(plan.functions).map((f) => [f.name, f.roleArn]));
  return { stateTransitionMs: MAPPING_STATE_TRANSITION_MS, roleArn: (fn) => roles.get(fn) };
}
