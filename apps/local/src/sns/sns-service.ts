import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import { messageAttributes, parseForm, queryError, queryOk, xmlEscape } from './query-protocol';

/** The event SNS hands a Lambda subscriber (one record per delivery). */
export interface SnsLambdaEvent {
  Records: Array<{
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: '1';
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, { Type: string; Value: string }>;
    };
  }>;
}

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  timestamp: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
}

/** An in-process subscriber, called with the Lambda event SNS would deliver. */
export type SnsSubscriber = (event: SnsLambdaEvent) => unknown;

export interface SnsServiceOptions {
  region: string;
  accountId?: string;
  /** Delivers to `lambda` subscriptions made through the API (Endpoint = function ARN or name). */
  invokeLambda?: (functionArn: string, event: SnsLambdaEvent) => Promise<unknown>;
  /** Where delivery failures are reported (SNS retries Lambda deliveries; locally they are reported once). */
  onDeliveryError?: (err: unknown, subscriptionArn: string) => void;
}

interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  deliver?: SnsSubscriber;
}

/** SNS API version: the query protocol names it in every request, which tells SNS apart from other query services. */
const SNS_VERSION = '2010-03-31';
const ACTIONS = new Set(['CreateTopic', 'Publish', 'ListTopics', 'Subscribe', 'ListSubscriptions', 'ListSubscriptionsByTopic', 'GetTopicAttributes', 'DeleteTopic', 'Unsubscribe']);
/** SNS rejects messages over 256 KiB. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const PAGE = 100;

/**
 * SNS stand-in (query protocol, as @aws-sdk/client-sns sends it): CreateTopic, Publish, ListTopics, Subscribe,
 * plus in-process subscribers. Deliveries are asynchronous, as on AWS: Publish answers before subscribers run.
 * Every published message is kept for the report.
 */
export class SnsService implements AwsService {
  readonly name = 'sns';
  private readonly accountId: string;
  private readonly topics = new Set<string>();
  private readonly subscriptions: Subscription[] = [];
  private readonly messages: PublishedMessage[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly o: SnsServiceOptions) {
    this.accountId = o.accountId ?? '000000000000';
  }

  matches(req: AwsRequest): boolean {
    const auth = String(req.headers.authorization ?? '');
    if (/\/sns\/aws4_request/.test(auth)) return true;
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return false;
    const params = parseForm(req.body, req.query);
    return params.get('Version') === SNS_VERSION && ACTIONS.has(params.get('Action') ?? '');
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.o.region}:${this.accountId}:${name}`;
  }

  /** Idempotent, as CreateTopic is. */
  createTopic(name: string): string {
    const arn = this.topicArn(name);
    this.topics.add(arn);
    return arn;
  }

  /** Subscribes an in-process function (the breaker Lambda, in process); returns the subscription ARN. */
  subscribe(topicArn: string, deliver: SnsSubscriber, endpoint = 'in-process'): string {
    if (!this.topics.has(topicArn)) throw new Error(`SNS topic does not exist: ${topicArn}`);
    const sub = { arn: `${topicArn}:${randomUUID()}`, topicArn, protocol: 'lambda', endpoint, deliver };
    this.subscriptions.push(sub);
    return sub.arn;
  }

  publish(input: { topicArn: string; message: string; subject?: string | null; messageAttributes?: PublishedMessage['messageAttributes'] }): string {
    if (!this.topics.has(input.topicArn)) throw new Error(`SNS topic does not exist: ${input.topicArn}`);
    const msg: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: input.topicArn,
      subject: input.subject ?? null,
      message: input.message,
      timestamp: new Date().toISOString(),
      messageAttributes: input.messageAttributes ?? {},
    };
    this.messages.push(msg);
    for (const sub of this.subscriptions.filter((s) => s.topicArn === input.topicArn)) this.deliver(sub, msg);
    return msg.messageId;
  }

  /** Every message published so far (oldest first). */
  published(topicArn?: string): PublishedMessage[] {
    return this.messages.filter((m) => !topicArn || m.topicArn === topicArn);
  }

  /** Resolves when every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const p = parseForm(req.body, req.query);
    const action = p.get('Action') ?? '';
    switch (action) {
      case 'CreateTopic': {
        const name = p.get('Name') ?? '';
        if (!TOPIC_NAME.test(name)) return queryError(400, 'InvalidParameter', 'Invalid parameter: Topic Name');
        return queryOk(action, `<TopicArn>${xmlEscape(this.createTopic(name))}</TopicArn>`);
      }
      case 'Publish': {
        const topicArn = p.get('TopicArn') ?? p.get('TargetArn');
        const message = p.get('Message');
        if (!topicArn) return queryError(400, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
        if (message === undefined || message === '') return queryError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
        if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) return queryError(400, 'InvalidParameter', 'Invalid parameter: Message too long');
        if (!this.topics.has(topicArn)) return queryError(404, 'NotFound', 'Topic does not exist');
        const id = this.publish({ topicArn, message, subject: p.get('Subject'), messageAttributes: messageAttributes(p) });
        return queryOk(action, `<MessageId>${id}</MessageId>`);
      }
      case 'ListTopics': {
        const all = [...this.topics].sort();
        const start = Number(p.get('NextToken') ?? 0) || 0;
        const page = all.slice(start, start + PAGE);
        const next = start + PAGE < all.length ? `<NextToken>${start + PAGE}</NextToken>` : '';
        return queryOk(action, `<Topics>${page.map((a) => `<member><TopicArn>${xmlEscape(a)}</TopicArn></member>`).join('')}</Topics>${next}`);
      }
      case 'Subscribe': {
        const topicArn = p.get('TopicArn') ?? '';
        const protocol = p.get('Protocol') ?? '';
        const endpoint = p.get('Endpoint') ?? '';
        if (!this.topics.has(topicArn)) return queryError(404, 'NotFound', 'Topic does not exist');
        if (!protocol) return queryError(400, 'InvalidParameter', 'Invalid parameter: Protocol');
        const arn = `${topicArn}:${randomUUID()}`;
        const invoke = this.o.invokeLambda;
        const deliver: SnsSubscriber | undefined = protocol === 'lambda' && invoke ? (event) => invoke(endpoint, event) : undefined;
        this.subscriptions.push({ arn, topicArn, protocol, endpoint, deliver });
        // E-mail and other endpoints must confirm first; nothing is delivered to them locally.
        const shown = protocol === 'lambda' || p.get('ReturnSubscriptionArn') === 'true' ? arn : 'pending confirmation';
        return queryOk(action, `<SubscriptionArn>${xmlEscape(shown)}</SubscriptionArn>`);
      }
      case 'ListSubscriptions':
        // https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptions.html: up to 100 a page, then NextToken.
        return queryOk(action, this.subscriptionsPage(this.subscriptions, p.get('NextToken')));
      case 'ListSubscriptionsByTopic': {
        const topicArn = p.get('TopicArn') ?? '';
        if (!this.topics.has(topicArn)) return queryError(404, 'NotFound', 'Topic does not exist');
        return queryOk(
          action,
          this.subscriptionsPage(
            this.subscriptions.filter((s) => s.topicArn === topicArn),
            p.get('NextToken'),
          ),
        );
      }
      case 'GetTopicAttributes': {
        const topicArn = p.get('TopicArn') ?? '';
        if (!this.topics.has(topicArn)) return queryError(404, 'NotFound', 'Topic does not exist');
        const attrs = { TopicArn: topicArn, Owner: this.accountId, SubscriptionsConfirmed: String(this.subscriptions.filter((s) => s.topicArn === topicArn).length) };
        return queryOk(
          action,
          `<Attributes>${Object.entries(attrs)
            .map(([k, v]) => `<entry><key>${k}</key><value>${xmlEscape(v)}</value></entry>`)
            .join('')}</Attributes>`,
        );
      }
      case 'DeleteTopic': {
        this.topics.delete(p.get('TopicArn') ?? '');
        return queryOk(action, '');
      }
      case 'Unsubscribe': {
        const i = this.subscriptions.findIndex((s) => s.arn === p.get('SubscriptionArn'));
        if (i >= 0) this.subscriptions.splice(i, 1);
        return queryOk(action, '');
      }
      default:
        return { ...queryError(400, 'InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint.`), unsupported: action || '(no Action)' };
    }
  }

  private subscriptionsPage(subs: Subscription[], token: string | undefined): string {
    const start = Number(token ?? 0) || 0;
    const members = subs
      .slice(start, start + PAGE)
      .map(
        (s) =>
          `<member><TopicArn>${xmlEscape(s.topicArn)}</TopicArn><Protocol>${xmlEscape(s.protocol)}</Protocol><SubscriptionArn>${xmlEscape(s.arn)}</SubscriptionArn><Owner>${this.accountId}</Owner><Endpoint>${xmlEscape(s.endpoint)}</Endpoint></member>`,
      );
    const next = start + PAGE < subs.length ? `<NextToken>${start + PAGE}</NextToken>` : '';
    return `<Subscriptions>${members.join('')}</Subscriptions>${next}`;
  }

  private deliver(sub: Subscription, msg: PublishedMessage): void {
    if (!sub.deliver) return;
    const deliver = sub.deliver;
    const event: SnsLambdaEvent = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: sub.arn,
          Sns: {
            Type: 'Notification',
            MessageId: msg.messageId,
            TopicArn: msg.topicArn,
            Subject: msg.subject,
            Message: msg.message,
            Timestamp: msg.timestamp,
            SignatureVersion: '1',
            Signature: 'LOCAL',
            SigningCertUrl: '',
            UnsubscribeUrl: '',
            MessageAttributes: msg.messageAttributes,
          },
        },
      ],
    };
    // SNS invokes Lambda subscribers asynchronously: the publisher never waits for them.
    const p: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(() => deliver(event))
      .catch((err) => (this.o.onDeliveryError ?? ((e) => process.stderr.write(`SNS delivery to ${sub.arn} failed: ${String(e)}\n`)))(err, sub.arn))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
