import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENV } from '@lean-ops/contracts';
import { emptyMix } from '@lean-ops/injector';
import { synthesize } from '@lean-ops/pipeline/src/app';
import { pipelinePaths } from '@lean-ops/pipeline/src/tools/paths';
import type { TerraformJson } from '../src/plan/terraform-json';
import { injectInto, removeDir, scenario, startTestStack } from './e2e-support';

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

const processorOf = (json: TerraformJson) =>
  Object.values(json.resource!.aws_lambda_function!).find((f) => String(f.function_name).endsWith('-sqs-processor'))! as { environment: { variables: Record<string, string> } };

describe('the local stack runs the stack file it is given, mistakes included', () => {
  it('a renamed processor variable fails the processor with an error naming it; every message still ends in the DLQ archive', async () => {
    const stackFile = mutatedStack((json) => {
      const vars = processorOf(json).environment.variables;
      vars[`${ENV.deliveryStream}_RENAMED`] = vars[ENV.deliveryStream]!;
      delete vars[ENV.deliveryStream];
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-mutation-env-'));
    work.push(dataDir);
    const { stack, logs } = await startTestStack({ stackFile, dataDir });
    try {
      await injectInto(stack, await scenario('thundering_herd.json', { total: 30, mix: emptyMix(), topics: { orders: { weight: 1, mix: emptyMix() } } }));
      await stack.waitForSettled({ timeoutMs: 240_000 });
      const report = await stack.report();
      expect(logs.some((l) => l.includes(`environment variable ${ENV.deliveryStream} is not set`))).toBe(true);
      expect(report.balance).toMatchObject({ sentDistinct: 30, rawDistinct: 0, dlqArchived: 30, lost: 0, holds: true });
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it('a resource type the local stack cannot run stops startup, naming it', async () => {
    const stackFile = mutatedStack((json) => {
      json.resource!.aws_opensearch_domain = { search: { domain_name: 'search' } };
    });
    await expect(startTestStack({ stackFile })).rejects.toThrow(/aws_opensearch_domain\.search/);
  });
});
