import { planIsSettled, stateFromPlan, stringPlaceholder, type PlanForState, type ProviderSchemas } from './plan-review-state';
import assert from 'node:assert/strict';

const schemas: ProviderSchemas = {
  provider_schemas: {
    'registry.terraform.io/hashicorp/aws': {
      resource_schemas: {
        aws_sqs_queue: {
          version: 0,
          block: {
            attributes: {
              name: { type: 'string' },
              arn: { type: 'string' },
              id: { type: 'string' },
              url: { type: 'string' },
              delay_seconds: { type: 'number' },
              tags_all: { type: ['map', 'string'] },
            },
          },
        },
        aws_dynamodb_table: {
          version: 1,
          block: {
            attributes: { name: { type: 'string' }, arn: { type: 'string' } },
            block_types: { point_in_time_recovery: { nesting_mode: 'list', block: { attributes: { enabled: { type: 'bool' }, recovery_period_in_days: { type: 'number' } } } } },
          },
        },
      },
    },
  },
};

const where = { region: 'eu-west-1', account: '111111111111' };
const provider = 'registry.terraform.io/hashicorp/aws';

describe('stateFromPlan', () => {
  const plan: PlanForState = {
    terraform_version: '1.11.4',
    resource_changes: [
      {
        address: 'aws_sqs_queue.q',
        type: 'aws_sqs_queue',
        name: 'q',
        provider_name: provider,
        change: { actions: ['create'], after: { name: 'dev-orders', delay_seconds: 0 }, after_unknown: { arn: true, id: true, url: true, tags_all: true } },
      },
      {
        address: 'aws_dynamodb_table.t',
        type: 'aws_dynamodb_table',
        name: 't',
        provider_name: provider,
        change: {
          actions: ['create'],
          after: { name: 'dev-errors', point_in_time_recovery: [{ enabled: true }] },
          after_unknown: { arn: true, point_in_time_recovery: [{ recovery_period_in_days: true }] },
        },
      },
      { address: 'aws_sqs_queue.gone', type: 'aws_sqs_queue', name: 'gone', provider_name: provider, change: { actions: ['delete'], after: null } },
    ],
  };
  const state = stateFromPlan(plan, schemas, where);

  it('writes a v4 state with the schema version of each resource type, leaving destroyed resources out', () => {
    expect(state).toMatchObject({ version: 4, terraform_version: '1.11.4', serial: 1 });
    expect(state.resources.map((r) => [r.type, r.name, r.provider, r.instances[0]?.schema_version])).toEqual([
      ['aws_sqs_queue', 'q', `provider["${provider}"]`, 0],
      ['aws_dynamodb_table', 't', `provider["${provider}"]`, 1],
    ]);
  });

  it('fills unknowns with placeholders of their type that look like what AWS returns', () => {
    expect(state.resources[0]?.instances[0]?.attributes).toEqual({
      name: 'dev-orders',
      delay_seconds: 0,
      arn: 'arn:aws:sqs:eu-west-1:111111111111:dev-orders',
      id: 'https://sqs.eu-west-1.amazonaws.com/111111111111/dev-orders',
      url: 'https://sqs.eu-west-1.amazonaws.com/111111111111/dev-orders',
      tags_all: {},
    });
    expect(state.resources[1]?.instances[0]?.attributes).toEqual({
      name: 'dev-errors',
      arn: 'arn:aws:dynamodb:eu-west-1:111111111111:dev-errors',
      point_in_time_recovery: [{ enabled: true, recovery_period_in_days: 0 }],
    });
  });

  it('gives the same placeholder on every pass, so that a plan against the state can settle', () => {
    expect(stateFromPlan(plan, schemas, where, 2).resources).toEqual(state.resources);
    const ctx = { ...where, address: 'aws_kms_key.k', type: 'aws_kms_key', values: {} };
    expect(stringPlaceholder('key_id', ctx)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stringPlaceholder('key_id', ctx)).toBe(stringPlaceholder('id', ctx));
    expect(stringPlaceholder('arn', { ...ctx, type: 'aws_s3_bucket', values: { bucket: 'b' } })).toBe('arn:aws:s3:::b');
  });

  it('is settled only when every managed resource is a no-op', () => {
    expect(planIsSettled(plan)).toBe(false);
    const [first] = plan.resource_changes ?? [];
    assert(first);
    expect(planIsSettled({ resource_changes: [{ ...first, change: { actions: ['no-op'] } }] })).toBe(true);
  });
});
