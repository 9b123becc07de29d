import type { StackAuthorization } from '../iam/stack-authorization';
import type { LambdaRuntime } from '../lambda';
import type { SubscriptionSpec } from '../plan/topology';
import { SnsService } from '../sns';

/** SNS with the plan's topics. Subscriptions made through the API: SNS invokes as sns.amazonaws.com, as the function policy allows. */
export function createSns(o: { region: string; accountId: string; topics: ReadonlyArray<{ name: string }>; iam: StackAuthorization; runtime: LambdaRuntime; log: (line: string) => void }): SnsService {
  const sns = new SnsService({
    region: o.region,
    accountId: o.accountId,
    invokeLambda: async (fn, event) => {
      o.iam.serviceInvoke('sns.amazonaws.com', fn, event.Records[0]?.Sns.TopicArn ?? '');
      return o.runtime.invoke(fn, event);
    },
    onDeliveryError: (err, sub) => o.log(`sns delivery ${sub}: ${String(err)}`),
  });
  for (const t of o.topics) sns.createTopic(t.name);
  return sns;
}

/** The plan's subscriptions: Lambda endpoints are invoked; other protocols (e-mail) are not delivered locally. */
export function subscribePlan(sns: SnsService, subscriptions: readonly SubscriptionSpec[], o: { iam: StackAuthorization; runtime: LambdaRuntime; log: (line: string) => void }): void {
  for (const sub of subscriptions) {
    if (sub.protocol !== 'lambda') {
      o.log(`sns: ${sub.address}: ${sub.protocol} subscription ${sub.endpoint} is not delivered locally`);
      continue;
    }
    sns.subscribe(
      sub.topicArn,
      async (event) => {
        o.iam.serviceInvoke('sns.amazonaws.com', sub.endpoint, sub.topicArn);
        const r = await o.runtime.invoke(sub.endpoint, event);
        if (!r.ok) throw new Error(`${sub.endpoint}: ${r.errorType}: ${r.errorMessage}`);
      },
      sub.endpoint,
    );
  }
}
