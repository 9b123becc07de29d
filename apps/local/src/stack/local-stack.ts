import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment, type EnvironmentConfig } from '@lean-ops/config';
import { S3RVER_CREDENTIALS } from '../embedded';
import { FaultRegistry } from '../faults';
import { buildIamPlan } from '../iam/iam-plan';
import { stackAuthorization, type StackAuthorization } from '../iam/stack-authorization';
import { EventSourceMappings, LambdaService, type LambdaServiceOptions } from '../lambda';
import { buildTopology } from '../plan/build-topology';
import { loadPlanSource, type PlanSource } from '../plan/plan-source';
import { stackPlanOf, type StackPlan } from '../plan/stack-plan-of';
import { collectReport } from '../report/collect-report';
import { startServer, type RunningServer } from '../server';
import { SqsQueryService, SqsService, queueUrl } from '../sqs';
import { CloudWatchService } from '../cloudwatch';
import { Cleanup } from './cleanup';
import type { LocalStack, LocalStackOptions, ServeInfo, StackInternals } from './local-stack-types';
import { DEFAULT_ENV_FILE } from './repo-root';
import { SentLedger } from './sent-ledger';
import { progressOf, stackActivity, waitForSettled, type SettleDeps } from './stack-settle';
import { startAlarms } from './wire-alarms';
import { wireCatalog, type CatalogWiring } from './wire-catalog';
import { createFirehose } from './wire-firehose';
import { registerFunctions } from './wire-functions';
import { createMappings } from './wire-mappings';
import { openQueues } from './wire-queues';
import { startRuntime } from './wire-runtime';
import { startSchedules } from './wire-schedules';
import { createSns, subscribePlan } from './wire-sns';
import { startStorage, type StackStorage } from './wire-storage';

export type { Progress } from './settle-progress';
export type { FirehoseFaults, LocalStack, LocalStackOptions, ServeInfo, StackActivity, StackInternals } from './local-stack-types';

// Queue URLs are the only names that carry the endpoint; the plan is named again once the endpoint listens.
const PENDING_ENDPOINT = 'http://127.0.0.1:0';

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
  const cleanup = new Cleanup(log);
  try {
    const parts = await startParts({ opts, log, dataDir, pending, iam, cleanup });
    // Named again now that the endpoint listens: queue URLs in the functions' environments point at it.
    const plan = stackPlanOf(buildTopology(source.json, { stackDir: source.stackDir, endpoint: parts.server.url }));
    await startFunctions(plan, parts, { opts, dataDir, iam, log, cleanup });
    log(`local stack up: ${parts.server.url} (data dir ${dataDir}, stack ${source.stackFile})`);
    return stackHandle(plan, parts, { config, dataDir, iam, log, cleanup });
  } catch (err) {
    await cleanup.runAll();
    throw err;
  }
}

interface StartContext {
  opts: LocalStackOptions;
  log: (line: string) => void;
  dataDir: string;
  iam: StackAuthorization;
  cleanup: Cleanup;
}

type StackParts = Awaited<ReturnType<typeof startParts>>;

/** Storage, the catalog, queues, the runtime, Firehose, SNS and the endpoint serving them, in the order they depend on each other. */
async function startParts({ opts, log, dataDir, pending, iam, cleanup }: StartContext & { pending: StackPlan }) {
  const region = pending.region;
  const storage = await startStorage({ dataDir, region, buckets: pending.topology.buckets.map((b) => b.name), tables: pending.topology.tables, iam, cleanup, log });
  let server: RunningServer | undefined;
  // The Glue Data Catalog of the plan; Firehose commits the RAW table through it, its files in the warehouse bucket.
  const catalog = await wireCatalog({
    dataDir,
    region,
    accountId: pending.accountId,
    topology: pending.topology,
    stream: pending.stream,
    adminS3: storage.s3,
    s3Dir: path.join(dataDir, 's3'),
    endpoint: () => server!.url,
    s3Endpoint: () => storage.proxies.s3.url,
  });
  cleanup.push(() => catalog.close());
  const faults = FaultRegistry.forDataDir(dataDir);
  cleanup.push(() => faults.close());
  const ledger = SentLedger.forDataDir(dataDir);
  cleanup.push(() => ledger.close());
  const store = openQueues({ region, dataDir, faults, ledger, topicQueues: pending.topicQueues, queues: pending.topology.queues, cleanup });
  const processorName = pending.functions['sqs-processor'].name;
  const { runtime, metrics, dropping } = startRuntime({ region, dataDir, processorName, iam, log, cleanup });
  const errorWriter = pending.topology.streams.find((st) => st.name === pending.stream.name)!;
  const firehose = createFirehose({ region, dataDir, streams: pending.topology.streams, errorWriter, catalog, iam, s3: storage.s3, faults, metrics, log });
  // Lambda faults ask for a crash or hang of the SQS processor; the DLQ processor archives such messages unharmed.
  const esm = new EventSourceMappings({ store, runtime, faults, faultFunctions: new Set([processorName]), region, onError: (err) => log(`event source mapping: ${String(err)}`) });
  const sns = createSns({ region, accountId: pending.accountId, topics: pending.topology.topics, iam, runtime, log });
  const sqsService = new SqsService(store, { endpoint: () => server?.url });
  const cloudwatch = new CloudWatchService({ region, accountId: pending.accountId, alarms: pending.topology.alarms });
  const running = await startServer({
    port: opts.port ?? 0,
    services: iam.guard([sqsService, new SqsQueryService(sqsService), firehose, new LambdaService(runtime, esm, lambdaApiOptions(pending)), sns, catalog.service, cloudwatch]),
    onError: (err, req) => log(`endpoint ${req.target ?? req.path}: ${String(err)}`),
    onUnsupported: (service, operation) => log(`endpoint: unsupported operation ${operation} (${service})`),
    elsewhere: { s3: { name: 'S3', url: () => storage.s3Server.url }, dynamodb: { name: 'DynamoDB', url: () => storage.dynamoServer.url } },
  });
  server = running;
  cleanup.push(() => running.close());
  // Firehose reaches its table through the endpoint: it opens once that listens and closes before it stops.
  await firehose.open();
  cleanup.push(() => firehose.close());
  await catalog.mirror.sync();
  // Stopping runs in reverse: the pollers stop and their invocations finish while the endpoint is still up.
  cleanup.push(() => esm.close());
  return { storage, catalog, ledger, store, runtime, metrics, dropping, firehose, esm, sns, cloudwatch, server: running };
}

/** The functions (environment, credentials, warm containers), their mappings and subscriptions, alarms and schedules. */
async function startFunctions(plan: StackPlan, p: StackParts, { opts, dataDir, iam, log, cleanup }: StartContext): Promise<void> {
  const { region } = plan;
  await registerFunctions(p.runtime, Object.values(plan.functions), {
    dataDir,
    credentials: (f) => iam.functionCredentials(f.name, f.roleArn),
    awsEnv: functionAwsEnv(region, p.server.url, p.storage),
  });
  if (opts.prewarm ?? true) {
    await Promise.all(Object.values(plan.functions).map((f) => p.runtime.warm(f.name, f.kind === 'sqs-processor' ? f.concurrency : 1)));
  }
  await createMappings(p.esm, plan, { region, iam, dynamodb: p.storage.dynamodb });
  subscribePlan(p.sns, plan.topology.subscriptions, { iam, runtime: p.runtime, log });
  const alarms = startAlarms(plan, { ...p, iam, alertTopicArn: p.sns.topicArn(plan.alertTopic), periodSeconds: opts.alarmPeriodSeconds ?? 5 });
  p.cloudwatch.attach((name) => alarms.status(name));
  cleanup.push(() => alarms.stop());
  cleanup.push(() => p.sns.idle());
  cleanup.push(startSchedules(p.runtime, plan.topology.schedules, { region, accountId: plan.accountId, everySeconds: opts.scheduleSeconds ?? 2, log, authorize: iam.scheduleInvoke }));
}

/** What every function's SDK reads: the endpoint, the guarded S3 and DynamoDB endpoints, the region. */
function functionAwsEnv(region: string, endpoint: string, storage: StackStorage): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: storage.proxies.s3.url,
    AWS_ENDPOINT_URL_DYNAMODB: storage.proxies.dynamodb.url,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    // The SDK's notice about Node versions it will drop is noise in the stack log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The running stack as callers see it: its serve line, faults, activity, settling, the report, and stop. */
function stackHandle(plan: StackPlan, p: StackParts, o: { config: EnvironmentConfig; dataDir: string; iam: StackAuthorization; log: (line: string) => void; cleanup: Cleanup }): LocalStack {
  const { storage, catalog, ledger, firehose } = p;
  const endpoint = p.server.url;
  const activity = stackActivity({ ...p, streamName: plan.stream.name, s3Server: storage.s3Server, dynamoServer: storage.dynamoServer });
  const settle: SettleDeps = { activity, plan, ledger, firehose, sns: p.sns, syncMirror: () => catalog.mirror.sync(), started: Date.now() };
  const info = serveInfo(plan, endpoint, storage, catalog);
  const internals: StackInternals = {
    config: o.config,
    plan,
    dataDir: o.dataDir,
    warehouse: catalog.warehouse,
    table: catalog.table(S3RVER_CREDENTIALS.accessKeyId, plan.stream),
    syncWarehouseMirror: () => catalog.mirror.sync(),
    s3: storage.s3,
    dynamodb: storage.dynamodb,
    ledger,
    firehose,
    sns: p.sns,
    alertTopicArn: p.sns.topicArn(plan.alertTopic),
    dropping: p.dropping,
    activity,
    failedHolders: () => p.esm.failedHolders(),
    denied: () => o.iam.denied(),
    allowed: () => o.iam.allowed(),
  };
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    region: plan.region,
    dataDir: o.dataDir,
    config: o.config,
    info,
    queueUrls: info.queues,
    dlqUrl: info.dlq,
    buckets: info.buckets,
    tables: info.tables,
    warehouse: catalog.warehouse,
    faults: {
      setFirehose: (f) =>
        firehose.setFaults({
          ...(f.perRecordFailureRate !== undefined ? { perRecordFailureRate: f.perRecordFailureRate } : {}),
          ...(f.throttleForMs ? { throttleUntil: Date.now() + f.throttleForMs } : {}),
        }),
      setS3Down: (down) => storage.s3Server.setDown(down),
      setDynamoDown: (down) => storage.dynamoServer.setDown(down),
    },
    activity,
    progress: async () => progressOf(settle, await activity()),
    waitForSettled: (w = {}) => waitForSettled(settle, w),
    report: (r = {}) => collectReport(internals, r),
    addRoute: (route) => p.server.addRoute(route),
    stop() {
      stopped ??= o.cleanup.runAll().then(() => o.log('local stack stopped'));
      return stopped;
    },
  };
}

/** The serve line: endpoints, queue URLs, buckets, tables, the RAW table and its mirror, the administrator's keys. */
function serveInfo(plan: StackPlan, endpoint: string, storage: StackStorage, catalog: CatalogWiring): ServeInfo {
  return {
    endpoint,
    region: plan.region,
    queues: Object.fromEntries(plan.topicQueues.map((q) => [q.topic!, queueUrl(endpoint, q.name)])),
    dlq: queueUrl(endpoint, plan.dlq.name),
    buckets: { ...plan.buckets },
    tables: { ...plan.tables },
    warehouse: catalog.warehouse,
    warehousePath: catalog.warehousePath,
    endpoints: { s3: storage.s3Server.url, dynamodb: storage.dynamoServer.url },
    credentials: { accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey },
  };
}

/** Mapping changes made through the API report their transitional state for a second, as AWS's take seconds. */
const MAPPING_STATE_TRANSITION_MS = 1000;

/** The Lambda API's view of the plan: each function's execution role as synthesized. */
function lambdaApiOptions(plan: StackPlan): LambdaServiceOptions {
  const roles = new Map(Object.values(plan.functions).map((f) => [f.name, f.roleArn]));
  return { stateTransitionMs: MAPPING_STATE_TRANSITION_MS, roleArn: (fn) => roles.get(fn) };
}
