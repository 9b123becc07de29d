import { DIMENSIONS, ERROR_RATE_EXPRESSION_ID, ERROR_RATE_METRICS, METRICS_NAMESPACE, errorRateExpression, names } from '@lean-ops/contracts';
import type { MetricStore } from './metric-store';
import { evaluateErrorRate, evaluateThreshold, stateReason, type AlarmState, type Comparison, type Evaluation } from './alarm-rules';
import { alarmArn, alarmSubject, cwTimestamp, regionLongName, type AlarmNotification } from './alarm-notification';

/** Delivers a notification to an SNS topic (the SNS stand-in's publish). */
export type AlarmPublisher = (topicArn: string, subject: string, message: string) => unknown;

/** One alarm the evaluator runs: how to get its period values and how it is described in notifications. */
export interface AlarmDefinition {
  name: string;
  description: string | null;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  periodSeconds: number;
  trigger: Record<string, unknown>;
  /** One evaluation: the state and CloudWatch's reason text. */
  evaluate(now: number): Promise<{ ev: Evaluation; reason: string }>;
}

export interface ErrorRateAlarmOptions {
  namePrefix: string;
  topic: string;
  thresholdPercent: number;
  minErrors: number;
  /** Short locally (e.g. 5 s) so the breaker reacts within a demo; 60 s on AWS. */
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  store: MetricStore;
}

/**
 * The circuit-breaker alarm of one topic as ObservabilityModule defines it: metric math (contracts errorRateExpression)
 * over the topic's first-receive sums (contracts ERROR_RATE_METRICS), above thresholdPercent, missing data not breaching.
 */
export function errorRateAlarm(o: ErrorRateAlarmOptions): AlarmDefinition {
  const periodMs = o.periodSeconds * 1000;
  const dims = { [DIMENSIONS.topic]: o.topic };
  const datapointsToAlarm = o.datapointsToAlarm ?? o.evaluationPeriods;
  const expression = errorRateExpression(o.minErrors);
  const stat = ([id, metric]: [string, string]) => ({
    Id: id,
    MetricStat: { Metric: { Dimensions: [{ value: o.topic, name: DIMENSIONS.topic }], MetricName: metric, Namespace: METRICS_NAMESPACE }, Period: o.periodSeconds, Stat: 'Sum' },
    ReturnData: false,
  });
  return {
    name: names.errorRateAlarm(o.namePrefix, o.topic),
    description: `Error rate of new records (first receives) of topic ${o.topic} above ${o.thresholdPercent}% (at least ${o.minErrors} failed records)`,
    threshold: o.thresholdPercent,
    evaluationPeriods: o.evaluationPeriods,
    datapointsToAlarm,
    periodSeconds: o.periodSeconds,
    trigger: {
      Period: o.periodSeconds,
      EvaluationPeriods: o.evaluationPeriods,
      DatapointsToAlarm: datapointsToAlarm,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: o.thresholdPercent,
      TreatMissingData: 'notBreaching',
      EvaluateLowSampleCountPercentile: '',
      Metrics: [
        { Expression: expression, Id: ERROR_RATE_EXPRESSION_ID, Label: `${o.topic} error rate (%)`, ReturnData: true },
        ...Object.entries(ERROR_RATE_METRICS).map(stat),
      ],
    },
    async evaluate(now) {
      const starts = Array.from({ length: o.evaluationPeriods }, (_, i) => now - (o.evaluationPeriods - i) * periodMs);
      const periods = starts.map((start) => {
        const f = o.store.statistics({ namespace: METRICS_NAMESPACE, name: ERROR_RATE_METRICS.failed, dimensions: dims }, start, start + periodMs);
        const r = o.store.statistics({ namespace: METRICS_NAMESPACE, name: ERROR_RATE_METRICS.received, dimensions: dims }, start, start + periodMs);
        return { failed: f.sampleCount ? f.sum : undefined, received: r.sampleCount ? r.sum : undefined };
      });
      const ev = evaluateErrorRate(periods, { thresholdPercent: o.thresholdPercent, minErrors: o.minErrors }, datapointsToAlarm);
      return { ev, reason: stateReason(ev, o.thresholdPercent, starts) };
    },
  };
}

export interface SumAlarmOptions {
  name: string;
  description?: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  /** ALARM when the period's Sum is greater than this. */
  threshold: number;
  periodSeconds: number;
  store: MetricStore;
}

/**
 * A plain Sum > threshold alarm over one period, missing data not breaching: the Firehose delivery-failure alarm
 * (AWS/Firehose FailedRowCount) and the water-balance gap alarm (METRICS.waterBalanceGap) are of this kind.
 */
export function sumAlarm(o: SumAlarmOptions): AlarmDefinition {
  const periodMs = o.periodSeconds * 1000;
  return {
    name: o.name,
    description: o.description ?? `${o.metric} above ${o.threshold}`,
    threshold: o.threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: o.periodSeconds,
    trigger: {
      MetricName: o.metric,
      Namespace: o.namespace,
      StatisticType: 'Statistic',
      Statistic: 'SUM',
      Unit: null,
      Dimensions: Object.entries(o.dimensions).map(([name, value]) => ({ value, name })),
      Period: o.periodSeconds,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: o.threshold,
      TreatMissingData: 'notBreaching',
      EvaluateLowSampleCountPercentile: '',
    },
    async evaluate(now) {
      const start = now - periodMs;
      const s = o.store.statistics({ namespace: o.namespace, name: o.metric, dimensions: o.dimensions }, start, now);
      const ev = evaluateThreshold([s.sampleCount ? s.sum : undefined], o.threshold, 1);
      return { ev, reason: stateReason(ev, o.threshold, [start]) };
    },
  };
}

/** What the DLQ alarms need from the queue (SQS ApproximateNumberOfMessagesVisible / ApproximateAgeOfOldestMessage). */
export interface QueueStats {
  visible: number;
  oldestAgeSeconds: number;
}

export interface DlqAlarmOptions {
  namePrefix: string;
  dlqName: string;
  /** ALARM when this many messages or more wait in the DLQ (GreaterThanOrEqualToThreshold, as ObservabilityModule). */
  depthThreshold: number;
  /** ALARM when the oldest DLQ message is older than this. */
  maxAgeSeconds: number;
  periodSeconds: number;
  queueStats: () => Promise<QueueStats> | QueueStats;
}

/** DLQ depth and age alarms on the AWS/SQS metrics of the DLQ, sampled from the injected stats function. */
export function dlqAlarms(o: DlqAlarmOptions): AlarmDefinition[] {
  const make = (name: string, metric: string, threshold: number, pick: (s: QueueStats) => number, comparison: Comparison): AlarmDefinition => ({
    name,
    description: `${metric} of ${o.dlqName} ${comparison === 'GreaterThanThreshold' ? 'above' : 'at or above'} ${threshold}`,
    threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: o.periodSeconds,
    trigger: {
      MetricName: metric,
      Namespace: 'AWS/SQS',
      StatisticType: 'Statistic',
      Statistic: 'MAXIMUM',
      Unit: null,
      Dimensions: [{ value: o.dlqName, name: 'QueueName' }],
      Period: o.periodSeconds,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: comparison,
      Threshold: threshold,
      TreatMissingData: 'notBreaching',
      EvaluateLowSampleCountPercentile: '',
    },
    async evaluate(now) {
      const value = pick(await o.queueStats());
      const ev = evaluateThreshold([value], threshold, 1, comparison);
      return { ev, reason: stateReason(ev, threshold, [now - o.periodSeconds * 1000]) };
    },
  });
  return [
    make(names.dlqDepthAlarm(o.namePrefix), 'ApproximateNumberOfMessagesVisible', o.depthThreshold, (s) => s.visible, 'GreaterThanOrEqualToThreshold'),
    make(names.dlqAgeAlarm(o.namePrefix), 'ApproximateAgeOfOldestMessage', o.maxAgeSeconds, (s) => s.oldestAgeSeconds, 'GreaterThanThreshold'),
  ];
}

export interface AlarmEvaluatorOptions {
  region: string;
  accountId?: string;
  /** SNS topic ARN of the alarm, OK and (none locally) insufficient-data actions. */
  actionTopicArn: string;
  publish: AlarmPublisher;
  alarms: AlarmDefinition[];
  now?: () => number;
}

export interface AlarmHistoryItem {
  alarmName: string;
  oldState: AlarmState;
  newState: AlarmState;
  reason: string;
  time: number;
}

/**
 * Runs alarms like CloudWatch: each starts INSUFFICIENT_DATA, is evaluated every period, and on a state change
 * publishes the alarm notification JSON to the action topic (alarm and OK actions, as ObservabilityModule wires them).
 */
export class AlarmEvaluator {
  private readonly states = new Map<string, AlarmState>();
  private readonly history: AlarmHistoryItem[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly now: () => number;
  private readonly accountId: string;
  private readonly configuredAt: number;

  constructor(private readonly o: AlarmEvaluatorOptions) {
    this.now = o.now ?? Date.now;
    this.accountId = o.accountId ?? '000000000000';
    this.configuredAt = this.now();
    for (const a of o.alarms) this.states.set(a.name, 'INSUFFICIENT_DATA');
  }

  state(alarmName: string): AlarmState | undefined {
    return this.states.get(alarmName);
  }

  allStates(): Record<string, AlarmState> {
    return Object.fromEntries(this.states);
  }

  transitions(): AlarmHistoryItem[] {
    return [...this.history];
  }

  /** Evaluates every alarm once; returns the notifications published. */
  async evaluateAll(): Promise<AlarmNotification[]> {
    const published: AlarmNotification[] = [];
    for (const alarm of this.o.alarms) {
      const now = this.now();
      const { ev, reason } = await alarm.evaluate(now);
      const old = this.states.get(alarm.name) ?? 'INSUFFICIENT_DATA';
      if (ev.state === old) continue;
      this.states.set(alarm.name, ev.state);
      this.history.push({ alarmName: alarm.name, oldState: old, newState: ev.state, reason, time: now });
      const n = this.notification(alarm, old, ev.state, reason, now);
      published.push(n);
      await this.o.publish(this.o.actionTopicArn, alarmSubject(n), JSON.stringify(n));
    }
    return published;
  }

  /** Evaluates every `intervalMs` (one evaluation at a time). */
  start(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.evaluateAll()
        .then(() => undefined)
        .catch((err) => {
          process.stderr.write(`alarm evaluation failed: ${String(err)}\n`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private notification(alarm: AlarmDefinition, oldState: AlarmState, newState: AlarmState, reason: string, now: number): AlarmNotification {
    return {
      AlarmName: alarm.name,
      AlarmDescription: alarm.description,
      AWSAccountId: this.accountId,
      AlarmConfigurationUpdatedTimestamp: cwTimestamp(this.configuredAt),
      NewStateValue: newState,
      NewStateReason: reason,
      StateChangeTime: cwTimestamp(now),
      Region: regionLongName(this.o.region),
      AlarmArn: alarmArn(this.o.region, this.accountId, alarm.name),
      OldStateValue: oldState,
      OKActions: [this.o.actionTopicArn],
      AlarmActions: [this.o.actionTopicArn],
      InsufficientDataActions: [],
      Trigger: alarm.trigger,
    };
  }
}
