import type { TerraformJson } from '../plan/terraform-json';
import { buildIamPlan } from './iam-plan';
import { statementsOf } from './policy-types';

const naming = { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' };
const policy = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function stack(extra: Record<string, Record<string, unknown>> = {}): TerraformJson {
  return {
    resource: {
      aws_iam_role: { proc: { name: 'lo-proc-role', assume_role_policy: '{}' } },
      aws_iam_role_policy: {
        p: { name: 'processor', role: '${aws_iam_role.proc.id}', policy: policy([{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['${aws_sqs_queue.q.arn}'] }]) },
      },
      aws_sqs_queue: { q: { name: 'lo-orders', kms_master_key_id: '${aws_kms_key.k.arn}' } },
      aws_sqs_queue_policy: { qp: { queue_url: '${aws_sqs_queue.q.url}', policy: policy([{ Effect: 'Deny', Principal: '*', Action: 'sqs:*' }]) } },
      aws_sns_topic: { t: { name: 'lo-alerts', kms_master_key_id: 'alias/lo' } },
      aws_kms_key: { k: { description: 'k' } },
      aws_kms_alias: { a: { name: 'alias/lo', target_key_id: '${aws_kms_key.k.key_id}' } },
      aws_s3_bucket: { b: { bucket: 'lo-archive' } },
      aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.b.id}', policy: policy([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]) } },
      aws_lambda_function: { f: { function_name: 'lo-breaker' } },
      aws_lambda_permission: {
        lp: {
          action: 'lambda:InvokeFunction',
          function_name: '${aws_lambda_function.f.function_name}',
          principal: 'sns.amazonaws.com',
          source_arn: '${aws_sns_topic.t.arn}',
          statement_id: 'AllowAlerts',
        },
      },
      ...extra,
    },
  } as unknown as TerraformJson;
}

describe('buildIamPlan', () => {
  it('reads role policies, resource policies and the key each queue or topic is encrypted with, references resolved', () => {
    const plan = buildIamPlan(stack(), naming);
    const queue = 'arn:aws:sqs:us-east-1:000000000000:lo-orders';
    expect(statementsOf(plan.roles.get('arn:aws:iam::000000000000:role/lo-proc-role')![0]!)[0]!.Resource).toEqual([queue]);
    expect(statementsOf(plan.resourcePolicies.get(queue)!)[0]!.Effect).toBe('Deny');
    expect(plan.resourcePolicies.has('arn:aws:s3:::lo-archive')).toBe(true);
    const key = plan.encryptedWith.get(queue)!;
    expect(key).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect(plan.encryptedWith.get('arn:aws:sns:us-east-1:000000000000:lo-alerts')).toBe(key);
    // A key without a policy gets the default one; a topic without one the default topic policy.
    expect(statementsOf(plan.resourcePolicies.get(key)!)[0]!.Principal).toEqual({ AWS: 'arn:aws:iam::000000000000:root' });
    expect(statementsOf(plan.resourcePolicies.get('arn:aws:sns:us-east-1:000000000000:lo-alerts')!)[0]!.Sid).toBe('__default_statement_ID');
    expect(statementsOf(plan.resourcePolicies.get('arn:aws:lambda:us-east-1:000000000000:function:lo-breaker')!)[0]).toMatchObject({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:us-east-1:000000000000:lo-alerts' } },
    });
  });

  it('attaches the managed policies it knows and stops on any other, naming it', () => {
    const known = { aws_iam_role_policy_attachment: { x: { role: '${aws_iam_role.proc.name}', policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' } } };
    expect(buildIamPlan(stack(known), naming).roles.get('arn:aws:iam::000000000000:role/lo-proc-role')).toHaveLength(2);
    const unknown = { aws_iam_role_policy_attachment: { x: { role: '${aws_iam_role.proc.name}', policy_arn: 'arn:aws:iam::aws:policy/PowerUserAccess' } } };
    expect(() => buildIamPlan(stack(unknown), naming)).toThrow(/aws_iam_role_policy_attachment\.x: managed policy arn:aws:iam::aws:policy\/PowerUserAccess is unknown/);
  });

  it('stops on a condition operator it cannot evaluate', () => {
    const bad = {
      aws_iam_role_policy: {
        p: { name: 'p', role: '${aws_iam_role.proc.id}', policy: policy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } } }]) },
      },
    };
    expect(() => buildIamPlan(stack(bad), naming)).toThrow(/DateLessThan/);
  });
});
