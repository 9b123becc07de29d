import { grantsOf, newGrants, wideningOf } from './plan-review-iam';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('IAM widening', () => {
  it('finds a new action, resource or principal', () => {
    const before = grantsOf(JSON.parse(policy({ Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: 'arn:q' })));
    const after = grantsOf(JSON.parse(policy({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteQueue'], Resource: ['arn:q', 'arn:r'] })));
    expect(newGrants(before, after).map((g) => `${g.action} ${g.resource}`)).toEqual(['sqs:ReceiveMessage arn:r', 'sqs:DeleteQueue arn:q', 'sqs:DeleteQueue arn:r']);
  });

  it('lets an old wildcard cover what it matches, and ignores Deny statements', () => {
    const before = grantsOf(JSON.parse(policy({ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:*' })));
    const after = grantsOf(JSON.parse(policy({ Effect: 'Allow', Action: 'SQS:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:1:q' }, { Effect: 'Deny', Action: '*', Resource: '*' })));
    expect(newGrants(before, after)).toEqual([]);
  });

  it('counts a removed condition and a new principal as widening', () => {
    const trust = (principal: object, condition?: object) => policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(condition ? { Condition: condition } : {}) });
    const change = (before: string, after: string) => wideningOf('aws_iam_role', { actions: ['update'], before: { assume_role_policy: before }, after: { assume_role_policy: after } });
    expect(change(trust({ Service: 'lambda.amazonaws.com' }), trust({ Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] }))?.grants.map((g) => g.principal)).toEqual([
      'Service:ec2.amazonaws.com',
    ]);
    expect(change(trust({ AWS: '*' }, { StringEquals: { 'aws:PrincipalAccount': '1' } }), trust({ AWS: '*' }))?.grants).toHaveLength(1);
    expect(change(trust({ AWS: '*' }), trust({ AWS: '*' }))).toBeUndefined();
  });

  it('reports a policy known only after apply as not compared', () => {
    expect(wideningOf('aws_iam_role_policy', { actions: ['update'], before: { policy: policy() }, after: {}, after_unknown: { policy: true } })).toEqual({ grants: [], unknown: true });
  });

  it('treats a new Lambda permission as a grant', () => {
    const w = wideningOf('aws_lambda_permission', {
      actions: ['create'],
      before: null,
      after: { action: 'lambda:InvokeFunction', principal: 'sns.amazonaws.com', function_name: 'f', source_arn: 'arn:t' },
    });
    expect(w?.grants).toEqual([{ action: 'lambda:InvokeFunction', resource: 'f', principal: 'sns.amazonaws.com', condition: 'arn:t' }]);
  });
});
