import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENV } from '@lean-ops/contracts';
import { emptyMix } from '@lean-ops/injector';
import { synthesize } from '@lean-ops/pipeline/src/app';
import { pipelinePaths } from '@lean-ops/pipeline/src/tools/paths';
import type { TerraformJson } from '../src/plan/terraform-json';
import { injectInto, removeDir, scenario, startTestStack, waitFor } from './e2e-support';

/** The local stack synthesized once, copied (assets included) so that each test can change its own copy. */
let synthDir: string;
const work: string[] = [];

beforeAll(async () => {
  synthDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-mutations-'));
  const paths = pipelinePaths();
  await synthesize({ outdir: synthDir, environmentsDir: paths.environmentsDir, bundleRoot: paths.bundleRoot, only: ['local'] });
}, 120_000);
afterAll(async () => {
  for (const d of [synthDir, ...work]) await removeDir(d);
});

function mutatedStack(change: (json: TerraformJson) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-mutated-'));
  work.push(dir);
  fs.cpSync(path.join(synthDir, 'stacks', 'local'), dir, { recursive: true });
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
  change(json);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

type Statement = { Sid?: string; Action?: string[]; Principal?: { Service?: string } };
type Policy = { Statement: Statement[] };

/** Rewrites the policy document (a JSON string argument) of every resource of a type that `pick` selects. */
function editPolicy(json: TerraformJson, type: string, pick: (args: Record<string, unknown>) => boolean, edit: (p: Policy) => void): void {
  const matched = Object.values(json.resource![type]!).filter((r) => pick(r as Record<string, unknown>));
  expect(matched).toHaveLength(1);
  for (const r of matched as Array<{ policy: string }>) {
    const p = JSON.parse(r.policy) as Policy;
    edit(p);
    r.policy = JSON.stringify(p);
  }
}

/** The processor role's inline policy, edited. */
const editProcessorPolicy = (json: TerraformJson, edit: (p: Policy) => void) => editPolicy(json, 'aws_iam_role_policy', (r) => r.name === 'processor', edit);

const processorOf = (json: TerraformJson) =>
  Object.values(json.resource!.aws_lambda_function!).find((f) => String(f.function_name).endsWith('-sqs-processor'))! as { environment: { variables: Record<string, string> } };

type Started = Awaited<ReturnType<typeof startTestStack>>;

/** Serves the mutated copy of the stack in a data dir of its own, runs `check` against it, and stops it. */
async function withMutatedStack(change: (json: TerraformJson) => void, check: (s: Started) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-mutation-data-'));
  work.push(dataDir);
  const started = await startTestStack({ stackFile: mutatedStack(change), dataDir });
  try {
    await check(started);
  } finally {
    await started.stack.stop();
  }
}

/** 30 good orders: each ends in RAW unless the mutation stops it. */
const goodOrders = () => scenario('thundering_herd.json', { total: 30, mix: emptyMix(), topics: { orders: { weight: 1, mix: emptyMix() } } });
/** A topic whose every record fails: its error-rate alarm fires and opens the breaker when the metrics arrive. */
const poisonTopic = () => scenario('poison_topic.json', { total: 60, rate: 'unlimited' });

describe('the local stack runs the stack file it is given, mistakes included', () => {
  it('a renamed processor variable fails the processor with an error naming it; every message still ends in the DLQ archive', async () => {
    const rename = (json: TerraformJson) => {
      const vars = processorOf(json).environment.variables;
      vars[`${ENV.deliveryStream}_RENAMED`] = vars[ENV.deliveryStream]!;
      delete vars[ENV.deliveryStream];
    };
    await withMutatedStack(rename, async ({ stack, logs }) => {
      await injectInto(stack, await goodOrders());
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      expect(logs.some((l) => l.includes(`environment variable ${ENV.deliveryStream} is not set`))).toBe(true);
      expect(report.balance).toMatchObject({ sentDistinct: 30, rawDistinct: 0, dlqArchived: 30, lost: 0, holds: true });
    });
  }, 300_000);

  it('without firehose:PutRecordBatch the processor is denied: AccessDenied in the report, no RAW rows, every message in the DLQ archive', async () => {
    const noPut = (json: TerraformJson) =>
      editProcessorPolicy(json, (p) => {
        for (const s of p.Statement) if (s.Action) s.Action = s.Action.filter((a) => a !== 'firehose:PutRecordBatch');
      });
    await withMutatedStack(noPut, async ({ stack, logs }) => {
      await injectInto(stack, await goodOrders());
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      const denied = report.denied.find((d) => d.action === 'firehose:PutRecordBatch');
      expect(denied).toMatchObject({
        principal: expect.stringMatching(/^arn:aws:sts::\d{12}:assumed-role\/.*sqs-processor.*\/.*-sqs-processor$/),
        resource: expect.stringMatching(/^arn:aws:firehose:.*:deliverystream\//),
      });
      expect(denied!.count).toBeGreaterThan(0);
      expect(logs.some((l) => l.includes('AccessDenied') && l.includes('firehose:PutRecordBatch') && l.includes(denied!.principal))).toBe(true);
      expect(report.balance).toMatchObject({ sentDistinct: 30, rawDistinct: 0, dlqArchived: 30, lost: 0, holds: true });
    });
  }, 300_000);

  it('without glue:UpdateTable the stream cannot commit: AccessDenied in the report, and after the retry duration every record is in the error output', async () => {
    const stackFile = mutatedStack((json) => {
      editPolicy(
        json,
        'aws_iam_role_policy',
        (r) => r.name === 'firehose-iceberg',
        (p) => {
          for (const s of p.Statement) if (s.Action) s.Action = s.Action.filter((a) => a !== 'glue:UpdateTable');
        },
      );
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-mutation-glue-'));
    work.push(dataDir);
    const { stack, logs } = await startTestStack({ stackFile, dataDir });
    try {
      await injectInto(stack, await scenario('thundering_herd.json', { total: 30, mix: emptyMix(), topics: { orders: { weight: 1, mix: emptyMix() } } }));
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      const denied = report.denied.find((d) => d.action === 'glue:UpdateTable');
      expect(denied).toMatchObject({
        principal: expect.stringMatching(/^arn:aws:sts::\d{12}:assumed-role\/.*firehose.*\/.*-raw$/),
        resource: expect.stringMatching(/^arn:aws:glue:.*:table\/.*_lake\/raw_events$/),
      });
      expect(logs.some((l) => l.includes('AccessDenied') && l.includes('glue:UpdateTable') && l.includes(denied!.principal))).toBe(true);
      expect(report.balance).toMatchObject({ sentDistinct: 30, rawDistinct: 0, errorOutput: 30, lost: 0, holds: true });
      expect(report.firehose).toMatchObject({ successfulRows: 0, failedRows: 30 });
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it('without the key-policy statement for CloudWatch, the alarm cannot publish to the encrypted alert topic and the report says so', async () => {
    const noCloudWatch = (json: TerraformJson) =>
      editPolicy(
        json,
        'aws_kms_key',
        () => true,
        (p) => {
          p.Statement = p.Statement.filter((s) => s.Principal?.Service !== 'cloudwatch.amazonaws.com');
        },
      );
    await withMutatedStack(noCloudWatch, async ({ stack, logs }) => {
      await injectInto(stack, await poisonTopic());
      const denied = await waitFor('the alarm publish to be denied', async () => (await stack.report()).denied.find((d) => d.principal === 'cloudwatch.amazonaws.com'), 120_000, 1000);
      expect(denied).toMatchObject({ action: 'kms:GenerateDataKey', resource: expect.stringMatching(/^arn:aws:kms:.*:key\//) });
      expect(logs.some((l) => l.includes('AccessDenied') && l.includes('cloudwatch.amazonaws.com') && l.includes('kms:GenerateDataKey'))).toBe(true);
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      // Nothing reached the topic: no alarm notification, so no breaker transition either.
      expect(report.alarms.transitions).toEqual([]);
      expect(report.breaker.transitions).toEqual([]);
      expect(report.balance).toMatchObject({ lost: 0, holds: true });
    });
  }, 300_000);

  it("without the processor role's Logs statement its lines never reach CloudWatch Logs: no EMF metrics, so the error-rate alarm never fires", async () => {
    const noLogs = (json: TerraformJson) =>
      editProcessorPolicy(json, (p) => {
        p.Statement = p.Statement.filter((s) => s.Sid !== 'Logs');
      });
    await withMutatedStack(noLogs, async ({ stack, logs }) => {
      await injectInto(stack, await poisonTopic());
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      const denied = report.denied.find((d) => d.principal.endsWith('-sqs-processor') && d.action === 'logs:CreateLogStream');
      expect(denied).toMatchObject({ resource: expect.stringMatching(/^arn:aws:logs:.*:log-group:.*sqs-processor:log-stream:/) });
      expect(denied!.count).toBeGreaterThan(1);
      expect(logs.some((l) => l.includes('-sqs-processor [not delivered to CloudWatch Logs: AccessDenied]'))).toBe(true);
      // The poison topic trips the breaker when the metrics arrive (the key-policy case above); here none do.
      expect(report.alarms.transitions.filter((t) => t.to === 'ALARM')).toEqual([]);
      expect(report.breaker.transitions).toEqual([]);
      expect(report.balance).toMatchObject({ lost: 0, holds: true });
    });
  }, 300_000);

  it('a resource type the local stack cannot run stops startup, naming it', async () => {
    const stackFile = mutatedStack((json) => {
      json.resource!.aws_opensearch_domain = { search: { domain_name: 'search' } };
    });
    await expect(startTestStack({ stackFile })).rejects.toThrow(/aws_opensearch_domain\.search/);
  });
});
