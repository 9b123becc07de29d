import { DIMENSIONS, ERROR_RATE_EXPRESSION_ID, ERROR_RATE_METRICS, METRICS, METRICS_NAMESPACE, errorRateExpression, names } from '@lean-ops/contracts';
import type { AlarmSpec } from '../plan/build-alarms';
import { MetricStore } from './metric-store';
import { AlarmEvaluator } from './alarm';
import type { AlarmNotification } from './alarm-notification';
import { alarmFromSpec } from './plan-alarm';
import assert from 'node:assert/strict';

const rule = { thresholdPercent: 50, minErrors: 10 };

/** The breaker alarm's data as ObservabilityModule synthesizes it (names, metrics and expression from contracts). */
function errorRateSpec(prefix: string, topic: string, r = rule, evaluationPeriods = 1, datapointsToAlarm = evaluationPeriods, actions = ['arn:t']): AlarmSpec {
  const stat = (metricName: string) => ({ namespace: METRICS_NAMESPACE, metricName, dimensions: { [DIMENSIONS.topic]: topic }, stat: 'Sum', periodSeconds: 60 });
  return {
    address: `aws_cloudwatch_metric_alarm.error-rate-${topic}`,
    name: names.errorRateAlarm(prefix, topic),
    description: null,
    comparison: 'GreaterThanThreshold',
    threshold: r.thresholdPercent,
    evaluationPeriods,
    datapointsToAlarm,
    periodSeconds: 60,
    treatMissingData: 'notBreaching',
    queries: [
      { id: 'failed', returnData: false, metric: stat(ERROR_RATE_METRICS.failed) },
      { id: 'received', returnData: false, metric: stat(ERROR_RATE_METRICS.received) },
      { id: ERROR_RATE_EXPRESSION_ID, returnData: true, expression: errorRateExpression(r.minErrors) },
    ],
    alarmActions: actions,
    okActions: actions,
  };
}

function metricSpec(name: string, namespace: string, metricName: string, dimensions: Record<string, string>, stat: string, threshold: number): AlarmSpec {
  return {
    address: `aws_cloudwatch_metric_alarm.${name}`,
    name,
    description: null,
    comparison: 'GreaterThanThreshold',
    threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: 300,
    treatMissingData: 'notBreaching',
    metric: { namespace, metricName, dimensions, stat, periodSeconds: 300 },
    alarmActions: ['arn:t'],
    okActions: ['arn:t'],
  };
}

/** The breaker alarm's state for period sums of one topic (each list entry one period, oldest first). */
async function errorRateState(periods: Array<{ failed?: number; received?: number }>, r = rule, datapointsToAlarm = periods.length) {
  const store = new MetricStore();
  const now = 1_800_000_000_000;
  periods.forEach((p, i) => {
    const t = now - (periods.length - i) * 5000 + 1;
    if (p.failed !== undefined) store.put({ namespace: METRICS_NAMESPACE, name: ERROR_RATE_METRICS.failed, dimensions: { [DIMENSIONS.topic]: 't' }, value: p.failed, timestamp: t });
    if (p.received !== undefined) store.put({ namespace: METRICS_NAMESPACE, name: ERROR_RATE_METRICS.received, dimensions: { [DIMENSIONS.topic]: 't' }, value: p.received, timestamp: t });
  });
  const alarm = alarmFromSpec(errorRateSpec('lo', 't', r, periods.length, datapointsToAlarm), { store, periodSeconds: 5 });
  return (await alarm.evaluate(now)).ev;
}

describe('error-rate rule', () => {
  it('does not trip on 1 failure out of 1 record (minimum errors)', async () => {
    expect((await errorRateState([{ failed: 1, received: 1 }])).state).toBe('OK');
    expect((await errorRateState([{ failed: 1, received: 1 }], { thresholdPercent: 50, minErrors: 1 })).state).toBe('ALARM');
  });
  it('trips on 60% of 20', async () => {
    expect(await errorRateState([{ failed: 12, received: 20 }])).toMatchObject({ state: 'ALARM', values: [60] });
  });
  it('needs more than the threshold: exactly 50% stays OK', async () => {
    expect((await errorRateState([{ failed: 10, received: 20 }])).state).toBe('OK');
  });
  it('reads 0 when nothing was received in the period (received > 0 guard)', async () => {
    expect((await errorRateState([{ failed: 15 }])).values).toEqual([0]);
  });
  it('uses the expression and the first-receive metrics ObservabilityModule uses (from contracts)', () => {
    const a = alarmFromSpec(errorRateSpec('lo', 't'), { store: new MetricStore(), periodSeconds: 5 });
    type Query = { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } };
    const metrics = (a.trigger as { Metrics: Query[] }).Metrics;
    expect(metrics.find((m) => m.Id === 'error_rate')?.Expression).toBe(errorRateExpression(rule.minErrors));
    expect(Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric.MetricName]))).toEqual({
      failed: 'FirstAttemptFailed',
      received: 'FirstAttemptRecords',
    });
  });
  it('treats missing data as not breaching', async () => {
    expect((await errorRateState([{}])).values).toEqual([undefined]);
    expect((await errorRateState([{}, {}])).state).toBe('OK');
    expect((await errorRateState([{ failed: 12, received: 20 }, {}])).state).toBe('OK');
    expect((await errorRateState([{ failed: 12, received: 20 }, {}], rule, 1)).state).toBe('ALARM');
  });
});

describe('AlarmEvaluator with the circuit-breaker alarm', () => {
  const prefix = 'lo-local';
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:lo-local-alerts';
  let now = 1_800_000_000_000;
  const store = new MetricStore();
  const sent: Array<{ arn: string; subject: string; n: AlarmNotification }> = [];
  /** One processor EMF line: all receptions, and the first receives among them. */
  const emitBatch = (topic: string, c: { received: number; failed: number; firstReceived: number; firstFailed: number }) => {
    const values = {
      [METRICS.received]: c.received,
      [METRICS.failed]: c.failed,
      [METRICS.firstAttemptReceived]: c.firstReceived,
      [METRICS.firstAttemptFailed]: c.firstFailed,
    };
    store.ingestLogLine(
      JSON.stringify({
        _aws: { Timestamp: now - 1000, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [[DIMENSIONS.topic]], Metrics: Object.keys(values).map((Name) => ({ Name })) }] },
        [DIMENSIONS.topic]: topic,
        ...values,
      }),
    );
  };
  /** Every record new (first receive). */
  const emit = (topic: string, received: number, failed: number) => emitBatch(topic, { received, failed, firstReceived: received, firstFailed: failed });
  const evaluator = new AlarmEvaluator({
    region: 'us-east-1',
    actionTopicArn: topicArn,
    publish: (arn, subject, message) => sent.push({ arn, subject, n: JSON.parse(message) }),
    alarms: ['orders', 'poison'].map((topic) => alarmFromSpec(errorRateSpec(prefix, topic, rule, 1, 1, [topicArn]), { store, periodSeconds: 5 })),
    now: () => now,
  });

  it('goes INSUFFICIENT_DATA -> OK with no data, then ALARM for the poisoned topic only, then OK again', async () => {
    await evaluator.evaluateAll();
    expect(sent.map((s) => [s.n.AlarmName, s.n.OldStateValue, s.n.NewStateValue])).toEqual([
      [names.errorRateAlarm(prefix, 'orders'), 'INSUFFICIENT_DATA', 'OK'],
      [names.errorRateAlarm(prefix, 'poison'), 'INSUFFICIENT_DATA', 'OK'],
    ]);
    sent.length = 0;

    emit('orders', 1, 1);
    emit('poison', 20, 12);
    await evaluator.evaluateAll();
    const [only, ...others] = sent;
    assert(only);
    expect(others).toHaveLength(0);
    const { arn, subject, n } = only;
    expect(arn).toBe(topicArn);
    expect(subject).toBe(`ALARM: "${names.errorRateAlarm(prefix, 'poison')}" in US East (N. Virginia)`);
    expect(n).toMatchObject({
      AlarmName: names.errorRateAlarm(prefix, 'poison'),
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      Region: 'US East (N. Virginia)',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${names.errorRateAlarm(prefix, 'poison')}`,
      Trigger: { Period: 5, EvaluationPeriods: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' },
    });
    expect(n.NewStateReason).toContain('60.0');
    expect(n.StateChangeTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(evaluator.state(names.errorRateAlarm(prefix, 'orders'))).toBe('OK');

    sent.length = 0;
    await evaluator.evaluateAll();
    expect(sent).toHaveLength(0);

    now += 10_000;
    await evaluator.evaluateAll();
    expect(sent.map((s) => [s.n.AlarmName, s.n.OldStateValue, s.n.NewStateValue])).toEqual([[names.errorRateAlarm(prefix, 'poison'), 'ALARM', 'OK']]);
    expect(evaluator.transitions().filter((t) => t.newState === 'ALARM')).toHaveLength(1);
  });

  it('stays OK for a tail of retries (100% of receptions failing, no new record failing) and trips a poison topic', async () => {
    now += 60_000;
    sent.length = 0;
    // End of a healthy run: only the 1% bad records are still received, on their 2nd and 3rd receive, all failing.
    emitBatch('orders', { received: 20, failed: 20, firstReceived: 0, firstFailed: 0 });
    // A poison topic: every new record fails on its first receive (retries of earlier ones fail too).
    emitBatch('poison', { received: 30, failed: 30, firstReceived: 12, firstFailed: 12 });
    await evaluator.evaluateAll();
    expect(sent.map((s) => [s.n.AlarmName, s.n.NewStateValue])).toEqual([[names.errorRateAlarm(prefix, 'poison'), 'ALARM']]);
    expect(sent[0]?.n.NewStateReason).toContain('100.0');
    expect(evaluator.state(names.errorRateAlarm(prefix, 'orders'))).toBe('OK');
    // The first-receive sums are what the alarm reads, not all receptions.
    const q = (name: string) => store.statistics({ namespace: METRICS_NAMESPACE, name, dimensions: { [DIMENSIONS.topic]: 'orders' } }, now - 5000, now);
    expect([q(METRICS.failed).sum, q(ERROR_RATE_METRICS.failed).sum]).toEqual([20, 0]);
  });
});

describe('DLQ alarms', () => {
  it('alarm on depth and age from the sampled AWS/SQS metrics', async () => {
    let now = 1_000_000;
    const store = new MetricStore();
    const sample = (visible: number, age: number) => {
      store.put({ namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'lo-dlq' }, value: visible, timestamp: now - 1 });
      store.put({ namespace: 'AWS/SQS', name: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'lo-dlq' }, value: age, timestamp: now - 1 });
    };
    const sent: AlarmNotification[] = [];
    const ev = new AlarmEvaluator({
      region: 'eu-west-1',
      actionTopicArn: 'arn:t',
      publish: (_a, _s, m) => sent.push(JSON.parse(m)),
      now: () => now,
      alarms: [
        alarmFromSpec(metricSpec(names.dlqDepthAlarm('lo'), 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'lo-dlq' }, 'Maximum', 0), { store, periodSeconds: 5 }),
        alarmFromSpec(metricSpec(names.dlqAgeAlarm('lo'), 'AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: 'lo-dlq' }, 'Maximum', 60), { store, periodSeconds: 5 }),
      ],
    });
    sample(0, 0);
    await ev.evaluateAll();
    now += 5000;
    sample(3, 30);
    await ev.evaluateAll();
    expect(ev.state(names.dlqDepthAlarm('lo'))).toBe('ALARM');
    expect(ev.state(names.dlqAgeAlarm('lo'))).toBe('OK');
    now += 5000;
    sample(3, 61);
    await ev.evaluateAll();
    expect(ev.state(names.dlqAgeAlarm('lo'))).toBe('ALARM');
    expect(sent.at(-1)?.Region).toBe('EU (Ireland)');
  });
});

describe('sum alarms', () => {
  it('alarm when the period sum exceeds the threshold, OK when the data ages out', async () => {
    let now = 1_000_000;
    const store = new MetricStore();
    const ev = new AlarmEvaluator({
      region: 'us-east-1',
      actionTopicArn: 'arn:t',
      publish: () => undefined,
      now: () => now,
      alarms: [alarmFromSpec(metricSpec(names.firehoseFailureAlarm('lo'), 'AWS/Firehose', 'FailedRowCount', { DeliveryStreamName: 'lo-raw' }, 'Sum', 0), { store, periodSeconds: 5 })],
    });
    store.put({ namespace: 'AWS/Firehose', name: 'FailedRowCount', dimensions: { DeliveryStreamName: 'other' }, value: 3, timestamp: now - 1 });
    await ev.evaluateAll();
    expect(ev.state(names.firehoseFailureAlarm('lo'))).toBe('OK');
    store.put({ namespace: 'AWS/Firehose', name: 'FailedRowCount', dimensions: { DeliveryStreamName: 'lo-raw' }, value: 1, timestamp: now - 1 });
    await ev.evaluateAll();
    expect(ev.state(names.firehoseFailureAlarm('lo'))).toBe('ALARM');
    now += 6000;
    await ev.evaluateAll();
    expect(ev.transitions().map((t) => t.newState)).toEqual(['OK', 'ALARM', 'OK']);
  });
});
