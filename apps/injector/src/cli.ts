import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { ConfigError, loadEnvironment } from '@lean-ops/config';
import { isRegion, names } from '@lean-ops/contracts';
import { DEFAULT_CONNECTIONS } from './connections';
import { generateMessages } from './generate-messages';
import { inject } from './inject';
import type { LaneClientConfig } from './parallel-send';
import { loadScenario } from './load-scenario';
import { DEFAULT_CONCURRENCY } from './scenario-schema';
import { createProgress, type ProgressStream } from './progress';
import { ScenarioError } from './scenario-error';

export const DEFAULT_ENV_FILE = 'environments/local.tfvars';

export const USAGE = `Usage: npm run inject -- --config <scenario.json> [--endpoint URL] [--connections N] [--env-file FILE] [--region REGION]

Sends a scenario's messages to the topic queues with SendMessageBatch.

  --config, -c FILE   scenario file (JSON), e.g. apps/injector/tests/configs/thundering_herd.json
  --endpoint URL      SQS endpoint, e.g. the local stack's http://127.0.0.1:4566
                      (default: the AWS SDK's chain: AWS_ENDPOINT_URL, else AWS itself)
  --connections N     parallel senders (default ${DEFAULT_CONNECTIONS}: one per core, 2..8), each a thread with its own
                      signed SQS connections (keep-alive) and the scenario's \`concurrency\` calls in flight
                      (default ${DEFAULT_CONCURRENCY})
  --env-file FILE     environment file for the name prefix, region and topics (default ${DEFAULT_ENV_FILE})
  --region REGION     AWS region (default: the environment file's)
  --help, -h          this text

Progress goes to stderr, the JSON summary to stdout. Exit codes: 0 all sent, 1 some not sent,
2 bad flags, scenario or environment file.`;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

export interface CliDeps {
  createClient?: (config: SQSClientConfig) => Pick<SQSClient, 'send'>;
}

const EXIT = { ok: 0, notAllSent: 1, usage: 2 } as const;
const MAX_CONNECTIONS = 64;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

type Flags = { config?: string; endpoint?: string; connections?: string; 'env-file'?: string; region?: string; help?: boolean };
type Fail = (message: string, code?: number) => number;

export async function main(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const fail: Fail = (message, code = EXIT.usage) => {
    io.stderr.write(`inject: ${message}\n`);
    return code;
  };
  const parsed = parseFlags(argv, fail);
  if (typeof parsed === 'number') return parsed;
  const { flags, connections } = parsed;
  if (flags.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const inputs = await loadInputs(flags.config!, flags['env-file'] ?? DEFAULT_ENV_FILE, fail);
  if (typeof inputs === 'number') return inputs;
  const { scenario, env, envFile, messages } = inputs;

  const region = flags.region ?? env.region;
  const endpoint = flags.endpoint;
  const config: SQSClientConfig & LaneClientConfig = { region, ...(endpoint ? { endpoint } : {}) };
  // A loopback endpoint (the local stack) accepts any signature; AWS itself uses the SDK's credential chain.
  if (endpoint && LOOPBACK.has(new URL(endpoint).hostname) && !io.env.AWS_ACCESS_KEY_ID && !io.env.AWS_PROFILE) {
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  // Sender threads build their own clients; a test's client factory keeps every call on this thread.
  const parallel = deps.createClient
    ? {}
    : { connections, clientConfig: { region, ...(endpoint ? { endpoint } : {}), ...(config.credentials ? { credentials: config.credentials as LaneClientConfig['credentials'] } : {}) } };
  const client = (deps.createClient ?? ((c) => new SQSClient(c)))(config);
  const where = endpoint ?? io.env.AWS_ENDPOINT_URL ?? `AWS ${region}`;
  const queueUrls = await resolveQueueUrls(client, Object.keys(scenario.topics), env.namePrefix, where, fail);
  if (typeof queueUrls === 'number') return queueUrls;

  const progress = createProgress(`inject ${scenario.name}`, io.stderr);
  const result = await inject({
    scenario,
    queueUrls,
    client: client as SQSClient,
    messages,
    ...parallel,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  io.stdout.write(`${JSON.stringify({ ...result, connections: deps.createClient ? 1 : connections, endpoint: where, region, environmentFile: envFile, queues: queueUrls }, null, 2)}\n`);
  return result.failed === 0 ? EXIT.ok : EXIT.notAllSent;
}

/** The flags, checked one by one with a message naming the flag; a usage exit code when one is wrong. */
function parseFlags(argv: string[], fail: Fail): { flags: Flags; connections: number } | number {
  let flags: Flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        endpoint: { type: 'string' },
        connections: { type: 'string' },
        'env-file': { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail(`${(err as Error).message}\nRun with --help for usage.`);
  }
  const connections = flags.connections === undefined ? DEFAULT_CONNECTIONS : Number(flags.connections);
  if (flags.help) return { flags, connections };
  if (!flags.config) return fail('--config <scenario.json> is required\nRun with --help for usage.');
  if (flags.endpoint !== undefined && !isHttpUrl(flags.endpoint)) {
    return fail(`--endpoint: ${JSON.stringify(flags.endpoint)}: must be an http(s) URL such as http://127.0.0.1:4566`);
  }
  if (!/^\d+$/.test(flags.connections ?? '1') || connections < 1 || connections > MAX_CONNECTIONS) {
    return fail(`--connections: ${JSON.stringify(flags.connections)}: must be an integer between 1 and ${MAX_CONNECTIONS}`);
  }
  if (flags.region !== undefined && !isRegion(flags.region)) {
    return fail(`--region: ${JSON.stringify(flags.region)}: must be an AWS region such as us-east-1`);
  }
  return { flags, connections };
}

/** The scenario, then the environment file (only once the scenario is valid), then the messages for its topics. */
async function loadInputs(configFile: string, envFile: string, fail: Fail) {
  let scenario;
  try {
    scenario = await loadScenario(configFile);
  } catch (err) {
    if (err instanceof ScenarioError) return fail(`invalid scenario\n${err.problems.join('\n')}`);
    throw err;
  }
  let env;
  try {
    env = await loadEnvironment(envFile);
  } catch (err) {
    if (err instanceof ConfigError) return fail(`invalid environment file\n${err.problems.join('\n')}`);
    throw err;
  }
  try {
    return { scenario, env, envFile, messages: generateMessages(scenario, env.topics) };
  } catch (err) {
    if (err instanceof ScenarioError) return fail(`scenario does not fit ${envFile}\n${err.problems.join('\n')}`);
    throw err;
  }
}

/** Each topic's queue URL from SQS (GetQueueUrl), as any producer finds it. */
async function resolveQueueUrls(client: Pick<SQSClient, 'send'>, topics: string[], namePrefix: string, where: string, fail: Fail): Promise<Record<string, string> | number> {
  const queueUrls: Record<string, string> = {};
  for (const topic of topics) {
    const queueName = names.topicQueue(namePrefix, topic);
    try {
      const out = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
      if (!out.QueueUrl) throw new Error('GetQueueUrl returned no QueueUrl');
      queueUrls[topic] = out.QueueUrl;
    } catch (err) {
      const e = err as Error & { code?: string };
      return fail(`topic ${topic}: cannot find queue ${JSON.stringify(queueName)} at ${where}: ${e.name ?? e.code}: ${e.message}`, EXIT.notAllSent);
    }
  }
  return queueUrls;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`inject: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
