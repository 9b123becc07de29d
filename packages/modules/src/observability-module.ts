import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import {
  DIMENSIONS,
  ERROR_RATE_EXPRESSION_ID,
  ERROR_RATE_METRICS,
  FIREHOSE_METRICS_NAMESPACE,
  FIREHOSE_THROTTLED_RECORDS,
  FUNCTION_KINDS,
  LAMBDA_METRICS,
  LAMBDA_METRICS_NAMESPACE,
  METRICS,
  METRICS_NAMESPACE,
  NAME_PREFIX_PATTERN,
  TOPIC_NAME_PATTERN,
  errorRateExpression,
  names,
  type AlarmThresholds,
} from '@lean-ops/contracts';
import { requireIntInRange, requireProp } from './validation';

const CONSTRUCT = 'ObservabilityModule';

/** Firehose metric for rows the Iceberg destination could not write (they go to the S3 backup). */
export const FIREHOSE_ICEBERG_FAILED_ROWS = 'DeliveryToIceberg.FailedRowCount';

type OptionalThreshold = 'processorErrors' | 'processorThrottles' | 'firehoseThrottledRecords';

export interface ObservabilityModuleProps {
  namePrefix: string;
  region: string;
  kmsKeyArn: string;
  topics: readonly string[];
  dlqName: string;
  deliveryStreamName: string;
  /** The SQS processor's function name: its AWS/Lambda Errors and Throttles are alarmed on. */
  processorFunctionName: string;
  /** The Lambda and Firehose thresholds default to 1 (one crash, throttle or throttled record in 5 minutes). */
  alarms: Omit<AlarmThresholds, OptionalThreshold> & Partial<Pick<AlarmThresholds, OptionalThreshold>>;

  /** Period of the error-rate alarm. Default 60 s. */
  errorRatePeriodSeconds?: number;
}

export interface ErrorRateAlarm {
  readonly topic: string;
  readonly alarm: CloudwatchMetricAlarm;
  readonly name: string;
  readonly arn: string;
}

/**
 * The alert topic (KMS), alarms on the processor's own metrics and on AWS metrics, and a dashboard.
 * Alarm and OK actions publish to the alert topic, which the circuit breaker subscribes to.
 */
export class ObservabilityModule extends Construct {
  readonly alertTopic: SnsTopic;
  readonly alertTopicArn: string;
  readonly errorRateAlarms: readonly ErrorRateAlarm[];
  readonly dlqDepthAlarm: CloudwatchMetricAlarm;
  readonly dlqAgeAlarm: CloudwatchMetricAlarm;
  readonly firehoseFailureAlarm: CloudwatchMetricAlarm;
  readonly waterBalanceAlarm: CloudwatchMetricAlarm;
  readonly processorErrorsAlarm: CloudwatchMetricAlarm;
  readonly processorThrottlesAlarm: CloudwatchMetricAlarm;
  readonly firehoseThrottlingAlarm: CloudwatchMetricAlarm;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ObservabilityModuleProps) {
    super(scope, id);
    const period = validateObservabilityProps(props);
    const { namePrefix: prefix, alarms: a } = props;

    this.alertTopic = new SnsTopic(this, 'alerts', { name: names.alertTopic(prefix), kmsMasterKeyId: props.kmsKeyArn });
    this.alertTopicArn = this.alertTopic.arn;
    a.alertEmails.forEach((email, i) => {
      new SnsTopicSubscription(this, `alert-email-${i}`, { topicArn: this.alertTopic.arn, protocol: 'email', endpoint: email });
    });
    const actions = { alarmActions: [this.alertTopic.arn], okActions: [this.alertTopic.arn] };

    this.errorRateAlarms = errorRateAlarms(this, props, period, actions);

    const dlq = dlqAlarms(this, props, actions);
    this.dlqDepthAlarm = dlq.depth;
    this.dlqAgeAlarm = dlq.age;

    const delivery = deliveryAlarms(this, props, actions);
    this.firehoseFailureAlarm = delivery.firehoseFailure;
    this.waterBalanceAlarm = delivery.waterBalance;

    const crashes = invocationAlarms(this, props, actions);
    this.processorErrorsAlarm = crashes.processorErrors;
    this.processorThrottlesAlarm = crashes.processorThrottles;
    this.firehoseThrottlingAlarm = crashes.firehoseThrottling;

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: names.dashboard(prefix),
      dashboardBody: JSON.stringify(dashboardBody(props, this)),
    });
  }

  get errorRateAlarmArns(): string[] {
    return this.errorRateAlarms.map((a) => a.arn);
  }
}

type AlarmActions = { alarmActions: string[]; okActions: string[] };

/** One error-rate alarm per topic over the processor's first-receive metrics: it opens that topic's breaker. */
function errorRateAlarms(scope: Construct, props: ObservabilityModuleProps, period: number, actions: AlarmActions): ErrorRateAlarm[] {
  const { namePrefix: prefix, alarms: a } = props;
  return props.topics.map((topic) => {
    const name = names.errorRateAlarm(prefix, topic);
    const metric = (metricName: string) => ({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensions: { [DIMENSIONS.topic]: topic },
      stat: 'Sum',
      period,
    });
    const alarm = new CloudwatchMetricAlarm(scope, `error-rate-${topic}`, {
      alarmName: name,
      alarmDescription: `More than ${a.errorRatePercent}% of new ${topic} records failed on their first receive (at least ${a.errorRateMinErrors}); opens the circuit breaker`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: a.errorRatePercent,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      // First receives only (contracts ERROR_RATE_METRICS): retries of a few bad records on their way to the
      // DLQ are all a period sees once new data stops, and must not trip a healthy topic.
      metricQuery: [
        ...Object.entries(ERROR_RATE_METRICS).map(([id, metricName]) => ({ id, metric: metric(metricName), returnData: false })),
        {
          id: ERROR_RATE_EXPRESSION_ID,
          label: `${topic} error rate (%)`,
          expression: errorRateExpression(a.errorRateMinErrors),
          returnData: true,
        },
      ],
      ...actions,
    });
    return { topic, alarm, name: alarm.alarmName, arn: alarm.arn };
  });
}

/** The DLQ's depth and the age of its oldest message (it expires unless archived or redriven). */
function dlqAlarms(scope: Construct, props: ObservabilityModuleProps, actions: AlarmActions) {
  const { namePrefix: prefix, alarms: a } = props;
  const depth = new CloudwatchMetricAlarm(scope, 'dlq-depth', {
    alarmName: names.dlqDepthAlarm(prefix),
    alarmDescription: `${a.dlqDepth} or more messages waiting in the DLQ`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: props.dlqName },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    // Fires at dlq_depth messages: with the default 1, a single dead letter alarms.
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: a.dlqDepth,
    treatMissingData: 'notBreaching',
    ...actions,
  });

  const age = new CloudwatchMetricAlarm(scope, 'dlq-age', {
    alarmName: names.dlqAgeAlarm(prefix),
    alarmDescription: `Oldest DLQ message older than ${a.dlqMaxAgeSeconds} s: it will expire unless archived or redriven`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensions: { QueueName: props.dlqName },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: a.dlqMaxAgeSeconds,
    treatMissingData: 'notBreaching',
    ...actions,
  });
  return { depth, age };
}

/** Rows Firehose could not write to the table, and records the water balance cannot account for. */
function deliveryAlarms(scope: Construct, props: ObservabilityModuleProps, actions: AlarmActions) {
  const { namePrefix: prefix, alarms: a } = props;
  const firehoseFailure = new CloudwatchMetricAlarm(scope, 'firehose-failure', {
    alarmName: names.firehoseFailureAlarm(prefix),
    alarmDescription: 'Firehose could not write rows to the RAW Iceberg table (they are in the S3 backup under firehose-errors/)',
    namespace: 'AWS/Firehose',
    metricName: FIREHOSE_ICEBERG_FAILED_ROWS,
    dimensions: { DeliveryStreamName: props.deliveryStreamName },
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0,
    treatMissingData: 'notBreaching',
    ...actions,
  });

  const waterBalance = new CloudwatchMetricAlarm(scope, 'water-balance', {
    alarmName: names.waterBalanceAlarm(prefix),
    alarmDescription: `Records received but neither delivered, quarantined nor retried exceed ${a.waterBalanceGap} in a window`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: a.waterBalanceGap,
    evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    metricQuery: [
      {
        id: 'gap',
        label: 'Water-balance gap (max over topics)',
        // A Metrics Insights query covers every topic's series without one alarm per topic.
        expression: `SELECT MAX(${METRICS.waterBalanceGap}) FROM "${METRICS_NAMESPACE}"`,
        period: 300,
        returnData: true,
      },
    ],
    ...actions,
  });
  return { firehoseFailure, waterBalance };
}

interface CountAlarm {
  id: string;
  name: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  threshold: number;
}

/**
 * Alarms on AWS metrics that count events, firing at `threshold` or more in 5 minutes: the processor's crashes and
 * timeouts and its throttles (AWS/Lambda), and Firehose Direct PUT throttling.
 */
function invocationAlarms(scope: Construct, props: ObservabilityModuleProps, actions: AlarmActions) {
  const a = props.alarms;
  const prefix = props.namePrefix;
  const alarm = (c: CountAlarm) =>
    new CloudwatchMetricAlarm(scope, c.id, {
      alarmName: c.name,
      alarmDescription: c.description,
      namespace: c.namespace,
      metricName: c.metricName,
      dimensions: c.dimensions,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: c.threshold,
      treatMissingData: 'notBreaching',
      ...actions,
    });
  const processor = { FunctionName: props.processorFunctionName };
  const errors = a.processorErrors ?? 1;
  const throttles = a.processorThrottles ?? 1;
  const throttled = a.firehoseThrottledRecords ?? 1;
  return {
    // With partial batch responses the processor returns normally even when records fail: an Error is an
    // invocation that crashed or timed out, whose batch comes back only after the visibility timeout.
    processorErrors: alarm({
      id: 'processor-errors',
      name: names.processorErrorsAlarm(prefix),
      description: `The SQS processor crashed or timed out ${errors} or more times in 5 minutes (AWS/Lambda Errors)`,
      namespace: LAMBDA_METRICS_NAMESPACE,
      metricName: LAMBDA_METRICS.errors,
      dimensions: processor,
      threshold: errors,
    }),
    processorThrottles: alarm({
      id: 'processor-throttles',
      name: names.processorThrottlesAlarm(prefix),
      description: `Lambda throttled the SQS processor ${throttles} or more times in 5 minutes (AWS/Lambda Throttles): account concurrency is short`,
      namespace: LAMBDA_METRICS_NAMESPACE,
      metricName: LAMBDA_METRICS.throttles,
      dimensions: processor,
      threshold: throttles,
    }),
    // Direct PUT to Iceberg is capped per stream (5 MiB/s in us-east-1, us-west-2 and eu-west-1, 1 MiB/s elsewhere:
    // Firehose developer guide, apache-iceberg-considerations); the processor retries throttled records.
    firehoseThrottling: alarm({
      id: 'firehose-throttled',
      name: names.firehoseThrottlingAlarm(prefix),
      description: `Firehose throttled ${throttled} or more Direct PUT records in 5 minutes: the stream is at its throughput limit (README, Capacity)`,
      namespace: FIREHOSE_METRICS_NAMESPACE,
      metricName: FIREHOSE_THROTTLED_RECORDS,
      dimensions: { DeliveryStreamName: props.deliveryStreamName },
      threshold: throttled,
    }),
  };
}

function dashboardBody(p: ObservabilityModuleProps, m: ObservabilityModule): Record<string, unknown> {
  const region = p.region;
  const perTopic = (metric: string) => p.topics.map((t) => [METRICS_NAMESPACE, metric, DIMENSIONS.topic, t]);
  const widget = (title: string, metrics: unknown[][], x: number, y: number, stat = 'Sum') => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, stat, period: 60, view: 'timeSeries', metrics },
  });
  return {
    widgets: [
      widget('Records received', perTopic(METRICS.received), 0, 0),
      widget('Records failed (retried)', perTopic(METRICS.failed), 12, 0),
      widget('Records delivered', perTopic(METRICS.delivered), 0, 6),
      widget('Records quarantined', perTopic(METRICS.dropped), 12, 6),
      widget(
        'DLQ depth and age',
        [
          ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', p.dlqName],
          ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', p.dlqName, { yAxis: 'right' }],
        ],
        0,
        12,
        'Maximum',
      ),
      widget(
        'Firehose to Iceberg (rows)',
        ['IncomingRowCount', 'SuccessfulRowCount', 'FailedRowCount'].map((n) => ['AWS/Firehose', `DeliveryToIceberg.${n}`, 'DeliveryStreamName', p.deliveryStreamName]),
        12,
        12,
      ),
      widget('Water-balance gap', perTopic(METRICS.waterBalanceGap), 0, 18, 'Maximum'),
      widget(
        'Firehose Direct PUT (bytes in, throttled records)',
        [
          [FIREHOSE_METRICS_NAMESPACE, 'IncomingBytes', 'DeliveryStreamName', p.deliveryStreamName],
          [FIREHOSE_METRICS_NAMESPACE, FIREHOSE_THROTTLED_RECORDS, 'DeliveryStreamName', p.deliveryStreamName, { yAxis: 'right' }],
        ],
        12,
        24,
      ),
      widget('First receives: records and failed (breaker input)', [...perTopic(ERROR_RATE_METRICS.received), ...perTopic(ERROR_RATE_METRICS.failed)], 0, 24),
      widget(
        'Lambda errors',
        FUNCTION_KINDS.map((k) => ['AWS/Lambda', 'Errors', 'FunctionName', names.fn(p.namePrefix, k)]),
        12,
        18,
      ),
      {
        type: 'alarm',
        x: 0,
        y: 30,
        width: 24,
        height: 4,
        properties: {
          title: 'Alarms',
          alarms: [
            ...m.errorRateAlarms.map((a) => a.arn),
            ...[m.dlqDepthAlarm, m.dlqAgeAlarm, m.firehoseFailureAlarm, m.waterBalanceAlarm].map((x) => x.arn),
            ...[m.processorErrorsAlarm, m.processorThrottlesAlarm, m.firehoseThrottlingAlarm].map((x) => x.arn),
          ],
        },
      },
    ],
  };
}

function validateObservabilityProps(p: ObservabilityModuleProps): number {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  requireProp(p.topics.length > 0, CONSTRUCT, 'topics', p.topics, 'at least one topic is needed', 'add a topic');
  for (const t of p.topics) {
    requireProp(TOPIC_NAME_PATTERN.test(t), CONSTRUCT, 'topics', t, `topic names must match ${TOPIC_NAME_PATTERN}`, 'use lower-case letters, digits, _ and -');
  }
  const a = p.alarms;
  requireProp(
    a.errorRatePercent > 0 && a.errorRatePercent < 100,
    CONSTRUCT,
    'alarms.errorRatePercent',
    a.errorRatePercent,
    'must be between 0 and 100 (exclusive): the alarm fires when the rate is above it',
    'use e.g. 50',
  );
  requireIntInRange(CONSTRUCT, 'alarms.errorRateMinErrors', a.errorRateMinErrors, 1, 1_000_000, 'use at least 1 so that a single failure of a single record cannot trip the breaker');
  // GreaterThanOrEqualToThreshold: a threshold of 0 would be in ALARM with an empty DLQ.
  requireIntInRange(CONSTRUCT, 'alarms.dlqDepth', a.dlqDepth, 1, 1_000_000_000, 'use 1 to alarm on the first dead letter');
  for (const key of ['processorErrors', 'processorThrottles', 'firehoseThrottledRecords'] as const) {
    if (a[key] !== undefined) requireIntInRange(CONSTRUCT, `alarms.${key}`, a[key], 1, 1_000_000_000);
  }
  // SQS keeps messages at most 14 days: an age threshold at or above that can never fire.
  requireIntInRange(CONSTRUCT, 'alarms.dlqMaxAgeSeconds', a.dlqMaxAgeSeconds, 60, 14 * 24 * 3600 - 1, 'use a value below 14 days, e.g. 604800 (7 days)');
  requireIntInRange(CONSTRUCT, 'alarms.waterBalanceGap', a.waterBalanceGap, 0, 1_000_000_000);
  for (const email of a.alertEmails) {
    requireProp(/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), CONSTRUCT, 'alarms.alertEmails', email, 'must be an e-mail address', 'fix the address or remove it');
  }
  const period = p.errorRatePeriodSeconds ?? 60;
  // CloudWatch alarms accept periods of 10, 20, 30 s or multiples of 60 s.
  requireProp(
    [10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0),
    CONSTRUCT,
    'errorRatePeriodSeconds',
    period,
    'CloudWatch alarms accept 10, 20, 30 or a multiple of 60 seconds',
    'use 60',
  );
  return period;
}
