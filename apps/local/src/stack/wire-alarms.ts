import { AlarmEvaluator, ServiceMetrics, alarmFromSpec, type MetricStore } from '../cloudwatch';
import type { StackAuthorization } from '../iam/stack-authorization';
import type { LambdaRuntime } from '../lambda';
import type { StackPlan } from '../plan/stack-plan-of';
import type { SnsService } from '../sns';
import type { QueueStore } from '../sqs';

/**
 * The plan's alarms as synthesized, over the functions' EMF metrics, Firehose's and the sampled SQS and Lambda
 * metrics, evaluated every `periodSeconds`; an alarm publishes to its topic only if the topic's key lets CloudWatch.
 */
export function startAlarms(
  plan: StackPlan,
  o: { metrics: MetricStore; store: QueueStore; runtime: LambdaRuntime; sns: SnsService; iam: StackAuthorization; alertTopicArn: string; periodSeconds: number },
): AlarmEvaluator {
  const serviceMetrics = new ServiceMetrics(o.metrics, {
    queues: () => plan.topology.queues.map((q) => ({ name: q.name, visible: o.store.counts(q.name).visible, oldestAgeSeconds: o.store.approximateAgeOfOldestMessage(q.name) })),
    functions: () => Object.entries(o.runtime.stats()).map(([name, st]) => ({ name, invocations: st.invocations, errors: st.errors })),
  });
  const evaluator = new AlarmEvaluator({
    region: plan.region,
    accountId: plan.accountId,
    actionTopicArn: o.alertTopicArn,
    publish: async (topicArn, subject, message) => {
      if (o.iam.alarmPublish(topicArn, message)) return;
      await o.sns.publish({ topicArn, subject, message });
    },
    alarms: plan.topology.alarms.map((spec) => alarmFromSpec(spec, { store: o.metrics, periodSeconds: o.periodSeconds })),
    beforeEvaluate: (now) => serviceMetrics.sample(now),
  });
  evaluator.start(o.periodSeconds * 1000);
  return evaluator;
}
