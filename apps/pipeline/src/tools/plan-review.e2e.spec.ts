import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../app';
import { readStack, stackFileOf, type TerraformContext } from './check-environment';
import { terraformContext } from './offline-checks';
import { pipelinePaths, REPO_ROOT } from './paths';
import { planMarkdown } from './plan-markdown';
import { synthesizeRef } from './plan-review-base';
import type { StateV4 } from './plan-review-state';
import { buildBaseState, placeholderContext, planOffline } from './plan-review-terraform';
import { countChanges, plannedChanges } from './plan-summary';
import assert from 'node:assert/strict';

/**
 * The real terraform and provider decide: the dev stack as synthesized today is the base, its state is built from
 * its own plan, and each head is the same stack with one change made in a temporary directory.
 */
const paths = pipelinePaths();
let tmp: string;
let ctx: TerraformContext;
let baseStackDir: string;
let state: StateV4;

type Stack = { resource: Record<string, Record<string, Record<string, unknown>>> };

async function synthDev(outdir: string, environmentsDir = paths.environmentsDir): Promise<string> {
  await synthesize({ outdir, environmentsDir, bundleRoot: paths.bundleRoot, only: ['dev'] });
  return path.join(outdir, 'stacks', 'dev');
}

/** A copy of the base stack with one edit to its cdk.tf.json. */
function mutated(name: string, edit: (stack: Stack) => void): string {
  const dir = path.join(tmp, name);
  fs.cpSync(baseStackDir, dir, { recursive: true });
  const stack = readStack(dir) as Stack;
  edit(stack);
  fs.writeFileSync(stackFileOf(dir), JSON.stringify(stack));
  return dir;
}

const resourceNamed = (stack: Stack, type: string, part: string) => Object.entries(stack.resource[type] ?? {}).find(([id]) => id.includes(part))!;

async function review(headStackDir: string) {
  const plan = await planOffline(ctx, headStackDir, path.join(tmp, 'plan'), state);
  const changes = plannedChanges(plan);
  const markdown = planMarkdown({
    environment: 'dev',
    plan,
    stack: readStack(headStackDir),
    baseStack: readStack(baseStackDir),
    mode: { kind: 'base-ref', ref: 'base', commit: '0'.repeat(40), baseHasEnvironment: true },
  });
  return { changes, counts: countChanges(changes), markdown };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-plan-review-'));
  baseStackDir = await synthDev(path.join(tmp, 'base-out'));
  ctx = terraformContext({ ...paths, workDir: path.join(tmp, 'work') }, [baseStackDir]);
  ({ state } = await buildBaseState(ctx, baseStackDir, path.join(tmp, 'plan'), placeholderContext(readStack(baseStackDir))));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('plan review against a state built from the base (real terraform)', () => {
  it('no change: No changes', async () => {
    const { counts, markdown } = await review(baseStackDir);
    expect(counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
    expect(markdown).toContain('No changes.');
    expect(markdown).toContain('Mode: **base ref**');
    expect(markdown).not.toContain('[!WARNING]');
  });

  it("a queue's retention changed: 1 to change, in place, with before -> after", async () => {
    const head = mutated('retention', (s) => {
      resourceNamed(s, 'aws_sqs_queue', 'queue-orders')[1].message_retention_seconds = 86400;
    });
    const { changes, counts, markdown } = await review(head);
    expect(counts).toEqual({ add: 0, change: 1, replace: 0, destroy: 0 });
    expect(changes[0]?.address).toMatch(/^aws_sqs_queue\.messaging_queue-orders_/);
    expect(markdown).toContain('**0 to add · 1 to change · 0 to replace · 0 to destroy**');
    expect(markdown).toContain('`message_retention_seconds`: `345600` → `86400`');
    expect(markdown).not.toContain('[!WARNING]');
  });

  it("a DynamoDB table's key changed: replace, with a warning naming the key", async () => {
    const head = mutated('table-key', (s) => {
      const table = resourceNamed(s, 'aws_dynamodb_table', 'state_errors')[1];
      table.hash_key = 'error_id';
      table.attribute = [
        { name: 'error_id', type: 'S' },
        { name: 'message_id', type: 'S' },
      ];
    });
    const { changes, counts, markdown } = await review(head);
    expect(counts).toMatchObject({ add: 0, replace: 1, destroy: 0 });
    const table = changes.find((c) => c.kind === 'replace')!;
    expect(table.replacePaths).toContain('hash_key');
    // The policies naming the table's ARN wait for the new table: updated in place, known only after apply.
    expect(changes.filter((c) => c.kind === 'change').every((c) => c.type === 'aws_iam_role_policy')).toBe(true);
    expect(markdown).toContain('IAM policies known only after apply, not compared');
    const warning = markdown.slice(markdown.indexOf('[!WARNING]'), markdown.indexOf('**0 to add'));
    expect(warning).not.toContain('IAM widening');
    expect(warning).toMatch(/> - \*\*replace\*\* `aws_dynamodb_table\.state_errors_[0-9A-F]+` in `state\/errors` \(forced by `[^)]*hash_key/);
    expect(markdown).toContain('`hash_key`: `"topic_name"` → `"error_id"` **forces replacement**');
  });

  it('a topic removed: its queue, mapping, alarm and policies destroyed, with warnings', async () => {
    const envs = path.join(tmp, 'environments');
    fs.cpSync(paths.environmentsDir, envs, { recursive: true });
    const dev = fs.readFileSync(path.join(envs, 'dev.tfvars'), 'utf8');
    const withoutPayments = dev.replace(/\n {2}\{\n {4}name\s+= "payments"[\s\S]*?\n {2}\},/, '');
    expect(withoutPayments).not.toContain('"payments"');
    fs.writeFileSync(path.join(envs, 'dev.tfvars'), withoutPayments);
    const head = await synthDev(path.join(tmp, 'no-payments-out'), envs);

    const { changes, markdown } = await review(head);
    const destroyed = changes.filter((c) => c.kind === 'destroy').map((c) => c.address);
    for (const type of ['aws_sqs_queue', 'aws_lambda_event_source_mapping', 'aws_cloudwatch_metric_alarm', 'aws_sqs_queue_redrive_policy']) {
      expect(destroyed.filter((a) => a.startsWith(`${type}.`) && a.includes('payments'))).toHaveLength(1);
    }
    expect(changes.filter((c) => c.kind === 'add' || c.kind === 'replace')).toEqual([]);
    expect(markdown).toMatch(/> - \*\*destroy\*\* `aws_sqs_queue\.messaging_queue-payments_[0-9A-F]+` in `messaging\/queue-payments`/);
    expect(markdown).toMatch(/`redrive_allow_policy → sourceQueueArns\[-\]`: `"arn:aws:sqs:eu-west-1:111111111111:lean-ops-dev-payments"` → `\(removed\)`/);
    // The processor's policy and the DLQ's redrive-allow policy shrink: updated in place, no widening.
    expect(changes.filter((c) => c.kind === 'change').length).toBeGreaterThan(0);
    expect(markdown).not.toContain('IAM widening');
  });

  it('IAM widening: a new action in a role policy is called out', async () => {
    const head = mutated('widening', (s) => {
      const [policy] = Object.values(s.resource.aws_iam_role_policy ?? {});
      assert(policy);
      const doc = JSON.parse(String(policy.policy)) as { Statement: unknown[] };
      doc.Statement.push({ Effect: 'Allow', Action: ['sqs:DeleteQueue'], Resource: '*' });
      policy.policy = JSON.stringify(doc);
    });
    const { counts, markdown } = await review(head);
    expect(counts.change).toBe(1);
    expect(markdown).toContain('IAM widening in 1 resource');
    expect(markdown).toContain('`sqs:DeleteQueue` on `*`');
  });
});

describe('synthesizing a git ref', () => {
  it("checks the ref out in a temporary worktree, builds and synthesizes with the ref's own commands, and cleans up", () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'packages', 'handlers'), { recursive: true });
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
    fs.writeFileSync(path.join(repo, 'packages', 'handlers', 'project.json'), JSON.stringify({ targets: { build: { options: { command: 'mkdir -p dist && echo built > dist/marker' } } } }));
    const synth = (retention: number) =>
      `node -e "const fs=require('fs');const d=process.env.CDKTF_OUTDIR+'/stacks/dev';fs.mkdirSync(d,{recursive:true});` +
      `fs.writeFileSync(d+'/cdk.tf.json',JSON.stringify({built:fs.readFileSync('dist/marker','utf8').trim(),retention:${retention}}))"`;
    fs.writeFileSync(path.join(repo, 'cdktf.json'), JSON.stringify({ app: synth(1) }));
    git('add', '-A');
    git('commit', '-qm', 'base');
    fs.writeFileSync(path.join(repo, 'cdktf.json'), JSON.stringify({ app: synth(2) }));
    git('commit', '-qam', 'head');

    const out = path.join(tmp, 'ref-out');
    const base = synthesizeRef(repo, 'HEAD~1', 'dev', out, path.join(repo, 'dist'));
    expect(base.commit).toBe(git('rev-parse', 'HEAD~1').stdout.trim());
    expect(JSON.parse(fs.readFileSync(path.join(base.stackDir!, 'cdk.tf.json'), 'utf8'))).toEqual({ built: 'built', retention: 1 });
    expect(git('worktree', 'list').stdout.trim().split('\n')).toHaveLength(1);
    expect(synthesizeRef(repo, 'HEAD', 'prod', out, path.join(repo, 'dist')).stackDir).toBeUndefined();
    expect(() => synthesizeRef(repo, 'no-such-ref', 'dev', out, path.join(repo, 'dist'))).toThrow(/no such commit/);
  });
});

describe('npm run plan:review -- --base', () => {
  it('reviews dev against a base ref, says which mode produced it, and exits 0', () => {
    const out = path.join(tmp, 'review.md');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'plan-review.ts'), '--env', 'dev', '--base', 'HEAD', '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('dev: plan review written to');
    expect(r.status).toBe(0);
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown).toContain('Mode: **base ref**. Planned against a state built from `HEAD`');
    expect(markdown.length).toBeLessThan(65_536);
  });
});
