import { Authorizer } from './authorizer';
import type { IamPlan } from './iam-plan';
import { defaultKeyPolicy } from './managed-policies';
import type { PolicyStatement } from './policy-types';
import type { AwsRequest } from '../aws-service';
import { glueCall } from './glue-calls';
import { authorizeServiceInvoke, checkMapping, functionPrincipal } from './service-calls';
import { s3Call } from './storage-calls';

const r = 'us-east-1';
const a = '000000000000';
const key = `arn:aws:kms:${r}:${a}:key/k`;
const firehoseRole = `arn:aws:iam::${a}:role/fh`;
const fnRole = `arn:aws:iam::${a}:role/fn`;
const table = `arn:aws:glue:${r}:${a}:table/lake/raw`;
const queue = `arn:aws:sqs:${r}:${a}:orders`;
const fn = `arn:aws:lambda:${r}:${a}:function:breaker`;

/** The statements the stack gives the stream's role (modules: security), as synthesized. */
const firehoseStatements = (): PolicyStatement[] => [
  { Effect: 'Allow', Action: ['glue:GetTable', 'glue:GetDatabase', 'glue:UpdateTable'], Resource: [`arn:aws:glue:${r}:${a}:catalog`, `arn:aws:glue:${r}:${a}:database/lake`, table] },
  { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: ['arn:aws:s3:::wh/warehouse/lake/raw/*'] },
  {
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: [key],
    Condition: { StringEquals: { 'kms:ViaService': `s3.${r}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::wh', 'arn:aws:s3:::wh/*'] } },
  },
];

function plan(firehose: PolicyStatement[], fnStatements: PolicyStatement[] = []): IamPlan {
  return {
    accountId: a,
    region: r,
    roles: new Map([
      [firehoseRole, [{ Statement: firehose }]],
      [fnRole, [{ Statement: fnStatements }]],
    ]),
    resourcePolicies: new Map<string, IamPlan['resourcePolicies'] extends Map<string, infer D> ? D : never>([
      [key, defaultKeyPolicy(a)],
      [
        fn,
        {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'lambda:InvokeFunction',
              Resource: fn,
              Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:sns:${r}:${a}:alerts` } },
            },
          ],
        },
      ],
    ]),
    encryptedWith: new Map([
      ['arn:aws:s3:::wh', key],
      [queue, key],
    ]),
    functionRoles: new Map(),
    functionLogGroups: new Map(),
  };
}

const glueRequest = (operation: string, input: Record<string, unknown>): AwsRequest => ({
  method: 'POST',
  path: '/',
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.from(JSON.stringify(input)),
  target: `AWSGlue.${operation}`,
});

/** The calls one Firehose commit makes with the stream's role: Glue GetTable and UpdateTable, S3 writes under the table. */
function commitDenial(statements: PolicyStatement[]): string | undefined {
  const auth = new Authorizer(plan(statements));
  const at = { region: r, accountId: a };
  const calls = [
    glueCall(glueRequest('GetTable', { DatabaseName: 'lake', Name: 'raw' }), at)!,
    glueCall(glueRequest('UpdateTable', { DatabaseName: 'lake', TableInput: { Name: 'raw' }, VersionId: '3' }), at)!,
    s3Call('PUT', '/wh/warehouse/lake/raw/data/00000-0.parquet', new URLSearchParams(), at)!,
    s3Call('PUT', '/wh/warehouse/lake/raw/metadata/00001-x.metadata.json', new URLSearchParams(), at)!,
  ];
  for (const call of calls) {
    const d = auth.authorize({ ...call, principal: functionPrincipal('raw', firehoseRole) });
    if (d) return `${d.action} on ${d.resource}`;
  }
  return undefined;
}

describe('calls services make themselves', () => {
  it('Firehose commits with its role: the Glue table (catalog, database, table), the table files and the bucket key', () => {
    expect(commitDenial(firehoseStatements())).toBeUndefined();
    const noUpdate = firehoseStatements();
    noUpdate[0]!.Action = ['glue:GetTable', 'glue:GetDatabase'];
    expect(commitDenial(noUpdate)).toBe(`glue:UpdateTable on ${table}`);
    const tableOnly = firehoseStatements();
    tableOnly[0]!.Resource = [table];
    expect(commitDenial(tableOnly)).toBe(`glue:GetTable on arn:aws:glue:${r}:${a}:catalog`);
    const noKey = firehoseStatements().slice(0, 2);
    expect(commitDenial(noKey)).toBe(`kms:GenerateDataKey on ${key}`);
  });

  it('an event source mapping needs the function role to receive, delete, read attributes and decrypt', () => {
    const consume: PolicyStatement[] = [
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: queue },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: { StringEquals: { 'kms:ViaService': `sqs.${r}.amazonaws.com` } } },
    ];
    expect(() => checkMapping(new Authorizer(plan([], consume)), 'proc', fnRole, 'orders')).not.toThrow();
    expect(() => checkMapping(new Authorizer(plan([], consume.slice(0, 1))), 'proc', fnRole, 'orders')).toThrow(/InvalidParameterValueException.*ReceiveMessage.*kms:Decrypt/);
  });

  it('SNS may invoke the function from the topic its permission names, and from no other', () => {
    const auth = new Authorizer(plan([]));
    expect(() => authorizeServiceInvoke(auth, 'sns.amazonaws.com', 'breaker', `arn:aws:sns:${r}:${a}:alerts`)).not.toThrow();
    expect(() => authorizeServiceInvoke(auth, 'sns.amazonaws.com', 'breaker', `arn:aws:sns:${r}:${a}:other`)).toThrow(/lambda:InvokeFunction/);
    expect(() => authorizeServiceInvoke(auth, 'events.amazonaws.com', 'breaker', `arn:aws:events:${r}:${a}:rule/x`)).toThrow(/events.amazonaws.com/);
    expect(auth.denied().map((d) => d.principal)).toEqual(['events.amazonaws.com', 'sns.amazonaws.com']);
  });
});
