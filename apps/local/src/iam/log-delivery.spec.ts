import { Authorizer } from './authorizer';
import type { IamPlan } from './iam-plan';
import { logDeliveryDenial, logStreamArn } from './log-delivery';
import type { PolicyDocument, PolicyStatement } from './policy-types';

const r = 'us-east-1';
const a = '000000000000';
const key = `arn:aws:kms:${r}:${a}:key/k`;
const role = `arn:aws:iam::${a}:role/fn`;
const group = `arn:aws:logs:${r}:${a}:log-group:/aws/lambda/proc`;

/** What the stack gives a function role (modules: security, `Logs`) and the key (`CloudWatchLogsEncryptsOwnLogGroups`). */
const logWrite: PolicyStatement = { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${group}:*`] };
const keyPolicy = (logs: boolean): PolicyDocument => ({
  Statement: [
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: 'kms:*', Resource: '*' },
    ...(logs
      ? [
          {
            Sid: 'CloudWatchLogs',
            Effect: 'Allow' as const,
            Principal: { Service: `logs.${r}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [`arn:aws:logs:${r}:${a}:log-group:/aws/lambda/*`] } },
          },
        ]
      : []),
  ],
});

function plan(statements: PolicyStatement[], o: { encrypted?: boolean; keyAllowsLogs?: boolean } = {}): IamPlan {
  return {
    accountId: a,
    region: r,
    roles: new Map([[role, [{ Statement: statements }]]]),
    resourcePolicies: new Map([[key, keyPolicy(o.keyAllowsLogs ?? true)]]),
    encryptedWith: new Map(o.encrypted ? [[group, key]] : []),
    functionRoles: new Map([['proc', role]]),
    functionLogGroups: new Map([['proc', group]]),
  };
}

const denial = (p: IamPlan) => logDeliveryDenial(new Authorizer(p), 'proc', role, group);

describe('function logs reach CloudWatch Logs only as AWS lets them', () => {
  it('names the stream as Lambda does, inside the group', () => {
    expect(logStreamArn(group, new Date('2026-11-30T23:00:00Z'))).toBe(`${group}:log-stream:2026/11/30/[$LATEST]local`);
  });

  it('the role writes its group: delivered, encrypted or not', () => {
    expect(denial(plan([logWrite]))).toBeUndefined();
    expect(denial(plan([logWrite], { encrypted: true }))).toBeUndefined();
  });

  it('a role without logs:CreateLogStream, or scoped to another group, is denied with the stream as resource', () => {
    expect(denial(plan([{ ...logWrite, Action: 'logs:PutLogEvents' }]))).toMatchObject({ action: 'logs:CreateLogStream', resource: expect.stringContaining(`${group}:log-stream:`) });
    expect(denial(plan([{ ...logWrite, Resource: `arn:aws:logs:${r}:${a}:log-group:/aws/lambda/other:*` }]))).toMatchObject({ decision: 'implicit-deny' });
    expect(denial(plan([logWrite, { Effect: 'Deny', Action: 'logs:PutLogEvents', Resource: '*' }]))).toMatchObject({ action: 'logs:PutLogEvents', decision: 'explicit-deny' });
  });

  it('an encrypted group needs the key policy to let CloudWatch Logs use the key for it', () => {
    expect(denial(plan([logWrite], { encrypted: true, keyAllowsLogs: false }))).toMatchObject({
      principalArn: `logs.${r}.amazonaws.com`,
      action: 'kms:GenerateDataKey',
      resource: key,
    });
  });
});
