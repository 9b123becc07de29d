import plan from './fixtures/plan-small.json';
import stack from './fixtures/stack-small.json';
import { commentMarker, MAX_COMMENT_CHARS, planMarkdown } from './plan-markdown';
import type { PlanJson } from './plan-summary';

const md = (p: PlanJson = plan as unknown as PlanJson, withStack = true) => planMarkdown({ environment: 'dev', plan: p, stack: withStack ? stack : undefined });

describe('planMarkdown', () => {
  it('starts with a marker so the comment of an environment is updated, not duplicated', () => {
    expect(md().split('\n')[0]).toBe(commentMarker('dev'));
  });

  it('counts adds, changes, replacements and destroys; ignores no-ops and data reads', () => {
    expect(md()).toContain('**2 to add · 1 to change · 1 to replace · 1 to destroy** (Terraform 1.11.4)');
  });

  it('warns when a stateful resource is replaced, naming the attribute that forces it', () => {
    expect(md()).toContain('> - **replace** `aws_dynamodb_table.state_errors_9A8B7C6D` in `state/errors` (forced by `hash_key`)');
    expect(md()).toContain('> **1 stateful resource will be destroyed or replaced; their data is lost:**');
  });

  it('does not warn about destroying a stateless resource', () => {
    const stateless = { ...plan, resource_changes: plan.resource_changes.filter((r) => r.type !== 'aws_dynamodb_table') } as unknown as PlanJson;
    expect(md(stateless)).not.toContain('[!WARNING]');
    expect(md(stateless)).toContain('| observability | 0 | 0 | 0 | 1 |');
  });

  it('groups resources by the module construct from the cdk.tf.json metadata', () => {
    const text = md();
    expect(text).toContain('| compute | 0 | 1 | 0 | 0 |');
    expect(text).toContain('| messaging | 2 | 0 | 0 | 0 |');
    expect(text).toContain('| state | 0 | 0 | 1 | 0 |');
    expect(text).toContain('| `-/+` replace ⚠️ | `aws_dynamodb_table.state_errors_9A8B7C6D` | `state/errors` |');
    expect(text).not.toContain('aws_cloudwatch_log_group');
    expect(text).not.toContain('data.aws_iam_policy_document');
  });

  it('falls back to the logical-id prefix when no stack metadata is given', () => {
    expect(md(plan as unknown as PlanJson, false)).toContain('| messaging | 2 | 0 | 0 | 0 |');
  });

  it('says so when there is nothing to do', () => {
    expect(md({ terraform_version: '1.11.4', resource_changes: [] })).toContain('No changes.');
  });

  it('stays under the GitHub comment limit by dropping the per-resource list', () => {
    const big: PlanJson = {
      resource_changes: Array.from({ length: 2000 }, (_, i) => ({
        address: `aws_sqs_queue.messaging_queue-number-${i}_ABCDEF01`,
        mode: 'managed' as const,
        type: 'aws_sqs_queue',
        change: { actions: ['create'] },
      })),
    };
    const text = md(big, false);
    expect(text.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(text).toContain('**2000 to add');
    expect(text).toContain('too long for a comment');
  });

  it('says which mode produced it', () => {
    expect(md()).toContain('Mode: **empty state**');
    const base = planMarkdown({ environment: 'dev', plan: plan as unknown as PlanJson, mode: { kind: 'base-ref', ref: 'origin/main', commit: 'abcdef0123456789', baseHasEnvironment: true } });
    expect(base).toContain('Mode: **base ref**. Planned against a state built from `origin/main` (`abcdef012345`)');
    expect(planMarkdown({ environment: 'prod', plan: plan as unknown as PlanJson, mode: { kind: 'real-state' } })).toContain('Mode: **real state**');
  });

  it('puts warnings before the counts and shows each changed attribute', () => {
    const text = md();
    expect(text.indexOf('[!WARNING]')).toBeLessThan(text.indexOf('**2 to add'));
    expect(text).toContain('`memory_size`: `512` → `1024`');
    expect(text).toContain('`hash_key`: `"pk"` → `"topic_name"` **forces replacement**');
  });

  it('cuts a long list with a note and stays under 65,536 characters', () => {
    const big: PlanJson = {
      resource_changes: Array.from({ length: 600 }, (_, i) => ({
        address: `aws_sqs_queue.messaging_queue-number-${i}_ABCDEF01`,
        mode: 'managed' as const,
        type: 'aws_sqs_queue',
        change: { actions: ['update'], before: { delay_seconds: 0, tags: { a: 'x'.repeat(100) } }, after: { delay_seconds: 5, tags: { a: 'y'.repeat(100) } } },
      })),
    };
    const text = md(big, false);
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(/Cut to stay under GitHub's 65,536-character comment limit: \d+ of 600 resources not listed/);
    expect(text).toContain('| messaging | 0 | 600 | 0 | 0 |');
  });
});
