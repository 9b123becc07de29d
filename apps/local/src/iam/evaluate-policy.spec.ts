import { checkOperators } from './conditions';
import { evaluate } from './evaluate-policy';
import { arnMatches, wildcardMatch } from './match-pattern';
import type { PolicyDocument, Principal, RequestContext } from './policy-types';

const ACCOUNT = '000000000000';
const role: Principal = { kind: 'role', roleArn: `arn:aws:iam::${ACCOUNT}:role/proc-role`, session: 'proc' };
const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`;
const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const ctx = (action: string, resource: string, keys?: Record<string, string>, principal: Principal = role): RequestContext => ({ principal, action, resource, ...(keys ? { keys } : {}) });

describe('wildcards', () => {
  it('match * and ? in actions case-insensitively, in resources case-sensitively', () => {
    expect(wildcardMatch('sqs:Send*', 'SQS:SENDMESSAGE', true)).toBe(true);
    expect(wildcardMatch('sqs:Send*', 'SQS:SENDMESSAGE')).toBe(false);
    expect(wildcardMatch('kms:GenerateDataKey?', 'kms:GenerateDataKey')).toBe(false);
    expect(arnMatches('arn:aws:s3:::archive/quarantine/*', 'arn:aws:s3:::archive/quarantine/a/b.json')).toBe(true);
    expect(arnMatches('arn:aws:s3:::Archive/*', 'arn:aws:s3:::archive/x')).toBe(false);
    expect(arnMatches('arn:aws:sqs:*:000000000000:orders', queue)).toBe(true);
  });
});

describe('evaluate (single account)', () => {
  const allowSend = doc({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queue] });

  it('allows what an identity policy allows and nothing else (implicit deny)', () => {
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [allowSend] })).toBe('allow');
    expect(evaluate(ctx('sqs:ReceiveMessage', queue), { accountId: ACCOUNT, identity: [allowSend] })).toBe('implicit-deny');
    expect(evaluate(ctx('sqs:SendMessage', `${queue}-dlq`), { accountId: ACCOUNT, identity: [allowSend] })).toBe('implicit-deny');
  });

  it('an explicit deny wins over an allow, whichever policy holds either', () => {
    const deny = doc({ Effect: 'Deny', Action: 'sqs:*', Resource: '*' });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [allowSend, deny] })).toBe('explicit-deny');
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [allowSend], resource: doc({ Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage' }) })).toBe('explicit-deny');
    const resourceAllow = doc({ Effect: 'Allow', Principal: { AWS: role.kind === 'role' ? role.roleArn : '' }, Action: 'sqs:SendMessage' });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [deny], resource: resourceAllow })).toBe('explicit-deny');
  });

  it('a resource policy naming the role allows without an identity policy (same account)', () => {
    const resourceAllow = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/proc-role` }, Action: 'sqs:SendMessage', Resource: queue });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [], resource: resourceAllow })).toBe('allow');
    const otherRole = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }, Action: 'sqs:SendMessage', Resource: queue });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [], resource: otherRole })).toBe('implicit-deny');
  });

  it('a Deny with NotPrincipal applies to every principal but the one it names', () => {
    const all = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    const policy = doc({ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, Action: 'sqs:*' });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [all], resource: policy })).toBe('explicit-deny');
    const admin: Principal = { kind: 'role', roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, session: 's' };
    expect(evaluate(ctx('sqs:SendMessage', queue, undefined, admin), { accountId: ACCOUNT, identity: [all], resource: policy })).toBe('allow');
  });

  it('NotAction and NotResource allow everything but what they name', () => {
    const notAction = doc({ Effect: 'Allow', NotAction: 'sqs:DeleteQueue', Resource: '*' });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [notAction] })).toBe('allow');
    expect(evaluate(ctx('sqs:deletequeue', queue), { accountId: ACCOUNT, identity: [notAction] })).toBe('implicit-deny');
    const notResource = doc({ Effect: 'Deny', Action: '*', NotResource: queue });
    const all = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluate(ctx('sqs:SendMessage', queue), { accountId: ACCOUNT, identity: [all, notResource] })).toBe('allow');
    expect(evaluate(ctx('sqs:SendMessage', `${queue}x`), { accountId: ACCOUNT, identity: [all, notResource] })).toBe('explicit-deny');
  });

  it('conditions: StringEquals any-of values, StringLike, absent keys, negated operators, IfExists', () => {
    const viaSqs = doc({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: key,
      Condition: { StringEquals: { 'kms:ViaService': ['sqs.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com'] } },
    });
    const e = (keys: Record<string, string> | undefined, identity = [viaSqs]) => evaluate(ctx('kms:Decrypt', key, keys), { accountId: ACCOUNT, identity });
    expect(e({ 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' })).toBe('allow');
    expect(e({ 'KMS:VIASERVICE': 'dynamodb.us-east-1.amazonaws.com' })).toBe('allow');
    expect(e({ 'kms:ViaService': 'sns.us-east-1.amazonaws.com' })).toBe('implicit-deny');
    expect(e(undefined)).toBe('implicit-deny');
    const like = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::archive/*' } } });
    expect(e({ 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::archive/dlq/x' }, [like])).toBe('allow');
    expect(e({ 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::warehouse/x' }, [like])).toBe('implicit-deny');
    const notEquals = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: { StringNotEquals: { 'aws:SourceAccount': '111111111111' } } });
    expect(e(undefined, [notEquals])).toBe('allow');
    expect(e({ 'aws:SourceAccount': '111111111111' }, [notEquals])).toBe('implicit-deny');
    const ifExists = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } } });
    expect(e(undefined, [ifExists])).toBe('allow');
    expect(e({ 'aws:SourceAccount': '1' }, [ifExists])).toBe('implicit-deny');
  });

  it('a Bool deny on insecure transport applies only when the request is insecure', () => {
    const bucket = doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const admin = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    const e = (secure: string) => evaluate(ctx('s3:PutObject', 'arn:aws:s3:::b/k', { 'aws:SecureTransport': secure }), { accountId: ACCOUNT, identity: [admin], resource: bucket });
    expect(e('true')).toBe('allow');
    expect(e('false')).toBe('explicit-deny');
  });

  it('KMS: identity policies count only when the key policy lets the account in; a service needs its own key-policy statement', () => {
    const identity = [doc({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key })];
    const root = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    const onlyCloudWatch = doc({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    expect(evaluate(ctx('kms:Decrypt', key), { accountId: ACCOUNT, identity, resource: root, keyPolicy: true })).toBe('allow');
    expect(evaluate(ctx('kms:Decrypt', key), { accountId: ACCOUNT, identity, resource: onlyCloudWatch, keyPolicy: true })).toBe('implicit-deny');
    // On a non-KMS resource the same identity policy allows on its own.
    expect(evaluate(ctx('kms:Decrypt', key), { accountId: ACCOUNT, identity, resource: onlyCloudWatch })).toBe('allow');
    const cw: Principal = { kind: 'service', service: 'cloudwatch.amazonaws.com' };
    expect(evaluate(ctx('kms:GenerateDataKey', key, { 'aws:SourceAccount': ACCOUNT }, cw), { accountId: ACCOUNT, identity: [], resource: onlyCloudWatch, keyPolicy: true })).toBe('allow');
    expect(evaluate(ctx('kms:GenerateDataKey', key, { 'aws:SourceAccount': ACCOUNT }, cw), { accountId: ACCOUNT, identity: [], resource: root, keyPolicy: true })).toBe('implicit-deny');
  });

  it('refuses condition operators it cannot evaluate', () => {
    expect(() => checkOperators({ Effect: 'Allow', Action: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }, 'p')).toThrow(/NumericLessThan/);
    expect(() => checkOperators({ Effect: 'Allow', Action: '*', Condition: { StringLikeIfExists: { k: 'v' } } }, 'p')).not.toThrow();
  });
});
