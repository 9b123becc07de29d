import { DIMENSIONS, ERROR_RATE_METRICS, METRICS, METRICS_NAMESPACE, errorRateExpression, names } from '@lean-ops/contracts';
import { FIREHOSE_ICEBERG_FAILED_ROWS, ObservabilityModule, type ObservabilityModuleProps } from './observability-module';
import { KEY_ARN, PREFIX, REGION, all, one, synth, resources } from '../test/support';

const props: ObservabilityModuleProps = {
  namePrefix: PREFIX,
  region: REGION,
  kmsKeyArn: KEY_ARN,
  topics: ['orders', 'payments'],
  dlqName: 'lo-test-dlq',
  deliveryStreamName: 'lo-test-raw',
  processorFunctionName: 'lo-test-sqs-processor',
  alarms: { errorRatePercent: 50, errorRateMinErrors: 10, dlqDepth: 1, dlqMaxAgeSeconds: 604800, waterBalanceGap: 0, alertEmails: ['ops@example.com'] },
};

describe('ObservabilityModule', () => {
  const s = synth((stack) => new ObservabilityModule(stack, 'observability', props));
  const alarm = (name: string) => all(s, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === name)!;
  const topicRef = () => `\${aws_sns_topic.${Object.keys(resources(s, 'aws_sns_topic'))[0]}.arn}`;

  it('creates a KMS-encrypted alert topic with the e-mail subscribers', () => {
    expect(one(s, 'aws_sns_topic')).toMatchObject({ name: names.alertTopic(PREFIX), kms_master_key_id: KEY_ARN });
    expect(one(s, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com', topic_arn: topicRef() });
  });

  it.each(['orders', 'payments'])('alarms on the %s error rate of first receives, with a minimum error count', (topic) => {
    const a = alarm(names.errorRateAlarm(PREFIX, topic));
    expect(a).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 50, treat_missing_data: 'notBreaching' });
    expect(a.alarm_actions).toEqual([topicRef()]);
    expect(a.ok_actions).toEqual([topicRef()]);
    const q = Object.fromEntries(a.metric_query.map((m: any) => [m.id, m]));
    expect(Object.keys(q).sort()).toEqual(['error_rate', 'failed', 'received']);
    for (const [id, metric] of [
      ['failed', 'FirstAttemptFailed'],
      ['received', 'FirstAttemptRecords'],
    ] as const) {
      expect(q[id].metric).toMatchObject({ namespace: METRICS_NAMESPACE, metric_name: metric, dimensions: { [DIMENSIONS.topic]: topic }, stat: 'Sum', period: 60 });
      expect(q[id].return_data).toBe(false);
    }
    // Not every reception: retries of a few bad records toward the DLQ must not trip a healthy topic.
    const read = a.metric_query.map((m: any) => m.metric?.metric_name).filter(Boolean);
    expect(read).not.toContain(METRICS.failed);
    expect(read).not.toContain(METRICS.received);
    expect(q.error_rate).toMatchObject({ expression: 'IF(failed >= 10 AND received > 0, 100 * failed / received, 0)', return_data: true });
  });

  it('keeps 1 failure out of 1 record below the threshold (min errors) and trips above 50%', () => {
    // Evaluate the expression's semantics the way CloudWatch would.
    const evaluate = (failed: number, received: number) => (failed >= 10 && received > 0 ? (100 * failed) / received : 0);
    expect(errorRateExpression(10)).toContain('failed >= 10');
    expect(evaluate(1, 1)).toBe(0);
    expect(evaluate(30, 40)).toBeGreaterThan(50);
  });

  it('alarms on the processor crashing, timing out or being throttled, and on Firehose throttling', () => {
    const base = { statistic: 'Sum', period: 300, comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1, treat_missing_data: 'notBreaching' };
    const fn = { FunctionName: 'lo-test-sqs-processor' };
    expect(alarm(names.processorErrorsAlarm(PREFIX))).toMatchObject({ ...base, namespace: 'AWS/Lambda', metric_name: 'Errors', dimensions: fn });
    expect(alarm(names.processorThrottlesAlarm(PREFIX))).toMatchObject({ ...base, namespace: 'AWS/Lambda', metric_name: 'Throttles', dimensions: fn });
    expect(alarm(names.firehoseThrottlingAlarm(PREFIX))).toMatchObject({
      ...base,
      namespace: 'AWS/Firehose',
      metric_name: 'ThrottledRecords',
      dimensions: { DeliveryStreamName: 'lo-test-raw' },
    });
    for (const name of [names.processorErrorsAlarm(PREFIX), names.processorThrottlesAlarm(PREFIX), names.firehoseThrottlingAlarm(PREFIX)]) {
      expect(alarm(name).alarm_actions).toEqual([topicRef()]);
    }
    const t = synth((stack) => new ObservabilityModule(stack, 'o', { ...props, alarms: { ...props.alarms, processorErrors: 5, firehoseThrottledRecords: 100 } }));
    const find = (name: string) => all(t, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === name)!;
    expect(find(names.processorErrorsAlarm(PREFIX)).threshold).toBe(5);
    expect(find(names.firehoseThrottlingAlarm(PREFIX)).threshold).toBe(100);
  });

  it('alarms on DLQ depth and age, Firehose Iceberg failures and the water-balance gap', () => {
    // One dead letter is enough: dlq_depth 1 with >= fires at the first message.
    expect(alarm(names.dlqDepthAlarm(PREFIX))).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'lo-test-dlq' },
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm(names.dlqAgeAlarm(PREFIX))).toMatchObject({ metric_name: 'ApproximateAgeOfOldestMessage', threshold: 604800, comparison_operator: 'GreaterThanThreshold' });
    expect(alarm(names.firehoseFailureAlarm(PREFIX))).toMatchObject({
      namespace: 'AWS/Firehose',
      metric_name: FIREHOSE_ICEBERG_FAILED_ROWS,
      dimensions: { DeliveryStreamName: 'lo-test-raw' },
      threshold: 0,
    });
    const wb = alarm(names.waterBalanceAlarm(PREFIX));
    expect(wb.metric_query[0].expression).toBe(`SELECT MAX(${METRICS.waterBalanceGap}) FROM "${METRICS_NAMESPACE}"`);
    expect(all(s, 'aws_cloudwatch_metric_alarm').every((a) => a.alarm_actions[0] === topicRef())).toBe(true);
  });

  it('builds a dashboard with the pipeline metrics and all alarms', () => {
    const d = one(s, 'aws_cloudwatch_dashboard');
    expect(d.dashboard_name).toBe(names.dashboard(PREFIX));
    const body = JSON.parse(d.dashboard_body);
    expect(body.widgets.filter((w: any) => w.type === 'metric')).toHaveLength(10);
    // All receptions and failures stay on the dashboard beside the breaker's first-receive input.
    const shown = new Set(body.widgets.flatMap((w: any) => (w.properties.metrics ?? []).map((m: unknown[]) => m[1])));
    for (const m of [METRICS.received, METRICS.failed, ERROR_RATE_METRICS.received, ERROR_RATE_METRICS.failed]) expect(shown).toContain(m);
    expect(body.widgets.find((w: any) => w.type === 'alarm').properties.alarms).toHaveLength(9);
    expect(JSON.stringify(body)).toContain('DeliveryToIceberg.FailedRowCount');
  });

  describe('refuses', () => {
    const build =
      (alarms: Partial<ObservabilityModuleProps['alarms']>, over: Partial<ObservabilityModuleProps> = {}) =>
      () =>
        synth((stack) => new ObservabilityModule(stack, 'o', { ...props, ...over, alarms: { ...props.alarms, ...alarms } }));
    it('an error-rate threshold outside (0, 100)', () => {
      expect(build({ errorRatePercent: 100 })).toThrow(
        'ObservabilityModule: alarms.errorRatePercent = 100 is invalid: must be between 0 and 100 (exclusive): the alarm fires when the rate is above it. Fix: use e.g. 50',
      );
    });
    it('a minimum error count of 0 (1 of 1 would trip the breaker)', () => {
      expect(build({ errorRateMinErrors: 0 })).toThrow(/alarms.errorRateMinErrors = 0 is invalid: .*Fix: use at least 1 so that a single failure/);
    });
    it('a DLQ age threshold SQS can never reach', () => {
      expect(build({ dlqMaxAgeSeconds: 14 * 24 * 3600 })).toThrow(/alarms.dlqMaxAgeSeconds = 1209600 is invalid/);
    });
    it('a malformed e-mail and a bad alarm period', () => {
      expect(build({ dlqDepth: 0 })).toThrow(/alarms.dlqDepth = 0 is invalid/);
      expect(build({ waterBalanceGap: 0.5 })).toThrow(/alarms.waterBalanceGap = 0.5 is invalid: must be an integer/);
      expect(build({}, { topics: [] })).toThrow(/topics = \[\] is invalid: at least one topic is needed/);
      expect(build({}, { topics: ['Bad Topic'] })).toThrow(/topics = "Bad Topic" is invalid/);
      expect(build({ alertEmails: ['nobody'] })).toThrow('ObservabilityModule: alarms.alertEmails = "nobody" is invalid: must be an e-mail address. Fix: fix the address or remove it');
      expect(build({}, { errorRatePeriodSeconds: 45 })).toThrow(/errorRatePeriodSeconds = 45 is invalid: CloudWatch alarms accept 10, 20, 30 or a multiple of 60 seconds/);
    });
  });
});
