import { SNSClient, CreateTopicCommand, ListSubscriptionsCommand, PublishCommand, ListTopicsCommand, SubscribeCommand, NotFoundException } from '@aws-sdk/client-sns';
import { startServer, type RunningServer } from '../server';
import { SnsService, type SnsLambdaEvent } from './sns-service';

describe('SNS stand-in with @aws-sdk/client-sns', () => {
  const invoked: Array<{ fn: string; event: SnsLambdaEvent }> = [];
  const sns = new SnsService({ region: 'us-east-1', invokeLambda: async (fn, event) => void invoked.push({ fn, event }) });
  let endpoint: RunningServer;
  let client: SNSClient;
  const unsupported: string[] = [];
  beforeAll(async () => {
    endpoint = await startServer({ services: [sns], onUnsupported: (service, op) => unsupported.push(`${service} ${op}`) });
    client = new SNSClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('creates topics idempotently and lists them', async () => {
    const a = await client.send(new CreateTopicCommand({ Name: 'lo-alerts' }));
    const b = await client.send(new CreateTopicCommand({ Name: 'lo-alerts' }));
    expect(a.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:lo-alerts');
    expect(b.TopicArn).toBe(a.TopicArn);
    const list = await client.send(new ListTopicsCommand({}));
    expect(list.Topics).toEqual([{ TopicArn: a.TopicArn }]);
  });

  it('delivers a published message to in-process and lambda subscribers as an SNS Lambda event', async () => {
    const topicArn = sns.topicArn('lo-alerts');
    const seen: SnsLambdaEvent[] = [];
    sns.subscribe(topicArn, (e) => void seen.push(e));
    const sub = await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:lo-circuit-breaker' }));
    expect(sub.SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:lo-alerts:/);

    const out = await client.send(new PublishCommand({ TopicArn: topicArn, Subject: 'ALARM: "x" in US East (N. Virginia)', Message: '{"NewStateValue":"ALARM","é":"✓"}' }));
    await sns.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', TopicArn: topicArn, MessageId: out.MessageId, Subject: 'ALARM: "x" in US East (N. Virginia)', Message: '{"NewStateValue":"ALARM","é":"✓"}' },
    });
    expect(invoked.map((i) => i.fn)).toEqual(['arn:aws:lambda:us-east-1:000000000000:function:lo-circuit-breaker']);
    expect(sns.published(topicArn).map((m) => m.messageId)).toEqual([out.MessageId]);
  });

  it('never runs a subscriber inside Publish (SNS delivers asynchronously)', async () => {
    const topicArn = sns.createTopic('lo-async');
    let calls = 0;
    sns.subscribe(topicArn, () => void calls++);
    sns.publish({ topicArn, message: 'm' });
    expect(calls).toBe(0);
    await sns.idle();
    expect(calls).toBe(1);
  });

  it('lists every subscription, in-process ones included, page by page', async () => {
    const topicArn = sns.createTopic('lo-list');
    sns.subscribe(topicArn, () => undefined, 'arn:aws:lambda:us-east-1:000000000000:function:in-process');
    for (let i = 0; i < 120; i++) await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: `fn-${i}` }));
    const first = await client.send(new ListSubscriptionsCommand({}));
    expect(first.Subscriptions).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await client.send(new ListSubscriptionsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.Subscriptions!, ...second.Subscriptions!].filter((s) => s.TopicArn === topicArn);
    expect(all).toHaveLength(121);
    expect(all[0]).toMatchObject({ Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:in-process', Owner: '000000000000' });
  });

  it('answers an unknown action with InvalidAction naming it, and reports it', async () => {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00' },
      body: 'Action=ListPlatformApplications&Version=2010-03-31',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code><Message>The action ListPlatformApplications is not valid for this endpoint.</Message>');
    expect(unsupported).toEqual(['sns ListPlatformApplications']);
  });

  it('answers NotFound for an unknown topic', async () => {
    await expect(client.send(new PublishCommand({ TopicArn: sns.topicArn('nope'), Message: 'x' }))).rejects.toBeInstanceOf(NotFoundException);
  });
});
