import type { AlarmSpec, ComparisonOperator, MetricStatSpec } from '../plan/build-alarms';
import type { AlarmDefinition } from './alarm';
import type { Evaluation } from './alarm-rules';
import { evaluateMetricMath, parseMetricMath, parseMetricsInsights, type MathNode } from './metric-math';
import type { MetricStatistics, MetricStore } from './metric-store';

const COMPARE: Record<ComparisonOperator, { test: (v: number, t: number) => boolean; words: string }> = {
  GreaterThanThreshold: { test: (v, t) => v > t, words: 'greater than' },
  GreaterThanOrEqualToThreshold: { test: (v, t) => v >= t, words: 'greater than or equal to' },
  LessThanThreshold: { test: (v, t) => v < t, words: 'less than' },
  LessThanOrEqualToThreshold: { test: (v, t) => v <= t, words: 'less than or equal to' },
};

/** The time format of CloudWatch's state reasons, e.g. `26/11/26 08:15:00`. */
function cwShortTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** A CloudWatch statistic of one period's datapoints; undefined without datapoints. */
export function statOf(stat: string, s: MetricStatistics): number | undefined {
  if (s.sampleCount === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return s.sum;
    case 'SampleCount':
      return s.sampleCount;
    case 'Average':
      return s.sum / s.sampleCount;
    case 'Maximum':
      return s.maximum;
    case 'Minimum':
      return s.minimum;
    default:
      throw new Error(`statistic ${stat} is not evaluated by the local CloudWatch`);
  }
}

const INSIGHTS_FN: Record<string, string> = { MAX: 'Maximum', MIN: 'Minimum', SUM: 'Sum', AVG: 'Average', COUNT: 'SampleCount' };

type QueryValue = (store: MetricStore, start: number, end: number, known: Record<string, number | undefined>) => number | undefined;

function metricValue(m: MetricStatSpec): QueryValue {
  statOf(m.stat, { sum: 0, sampleCount: 1, maximum: 0, minimum: 0 });
  return (store, start, end) => statOf(m.stat, store.statistics({ namespace: m.namespace, name: m.metricName, dimensions: m.dimensions }, start, end));
}

function expressionValue(expression: string): QueryValue {
  const insights = parseMetricsInsights(expression);
  if (insights) {
    const stat = INSIGHTS_FN[insights.fn]!;
    return (store, start, end) => {
      const values = store
        .seriesOf(insights.namespace, insights.metric)
        .map((q) => statOf(stat, store.statistics(q, start, end)))
        .filter((v): v is number => v !== undefined);
      if (values.length === 0) return undefined;
      return insights.fn === 'MIN' ? Math.min(...values) : insights.fn === 'SUM' || insights.fn === 'COUNT' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
    };
  }
  const tree: MathNode = parseMetricMath(expression);
  return (_store, _start, _end, known) => evaluateMetricMath(tree, known);
}

/** The value of the alarm's returned series for one period. Built once: an expression it cannot evaluate throws here. */
function periodValue(spec: AlarmSpec): (store: MetricStore, start: number, end: number) => number | undefined {
  if (spec.metric) {
    const v = metricValue(spec.metric);
    return (store, start, end) => v(store, start, end, {});
  }
  const steps = spec.queries!.map((q) => ({ q, value: q.metric ? metricValue(q.metric) : expressionValue(q.expression ?? '') }));
  return (store, start, end) => {
    const known: Record<string, number | undefined> = {};
    for (const s of steps) known[s.q.id] = s.value(store, start, end, known);
    return known[spec.queries!.find((q) => q.returnData)!.id];
  };
}

function trigger(spec: AlarmSpec, periodSeconds: number): Record<string, unknown> {
  const common = {
    Period: periodSeconds,
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    ComparisonOperator: spec.comparison,
    Threshold: spec.threshold,
    TreatMissingData: spec.treatMissingData,
    EvaluateLowSampleCountPercentile: '',
  };
  if (spec.metric) {
    const m = spec.metric;
    return {
      MetricName: m.metricName,
      Namespace: m.namespace,
      StatisticType: 'Statistic',
      Statistic: m.stat.toUpperCase(),
      Unit: null,
      Dimensions: Object.entries(m.dimensions).map(([name, value]) => ({ value, name })),
      ...common,
    };
  }
  const metrics = spec.queries!.map((q) => ({
    Id: q.id,
    ...(q.expression !== undefined ? { Expression: q.expression } : {}),
    ...(q.label !== undefined ? { Label: q.label } : {}),
    ...(q.metric
      ? {
          MetricStat: {
            Metric: { Dimensions: Object.entries(q.metric.dimensions).map(([name, value]) => ({ value, name })), MetricName: q.metric.metricName, Namespace: q.metric.namespace },
            Period: periodSeconds,
            Stat: q.metric.stat,
          },
        }
      : {}),
    ReturnData: q.returnData,
  }));
  return { Metrics: metrics, ...common };
}

/**
 * An alarm exactly as the plan declares it (metric or metric math, comparison, threshold, periods, datapoints to
 * alarm, missing-data treatment, actions), evaluated over the stand-in's metrics. Its period is compressed to
 * `periodSeconds` locally (a minute is long on a laptop); everything else is as synthesized.
 */
export function alarmFromSpec(spec: AlarmSpec, o: { store: MetricStore; periodSeconds: number }): AlarmDefinition {
  const value = periodValue(spec);
  const periodMs = o.periodSeconds * 1000;
  const cmp = COMPARE[spec.comparison];
  return {
    name: spec.name,
    description: spec.description,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    periodSeconds: o.periodSeconds,
    trigger: trigger(spec, o.periodSeconds),
    alarmActions: spec.alarmActions,
    okActions: spec.okActions,
    async evaluate(now) {
      const starts = Array.from({ length: spec.evaluationPeriods }, (_, i) => now - (spec.evaluationPeriods - i) * periodMs);
      const values = starts.map((s) => value(o.store, s, s + periodMs));
      const breaching = values.filter((v) => (v === undefined ? spec.treatMissingData === 'breaching' : cmp.test(v, spec.threshold))).length;
      const ev: Evaluation = { state: breaching >= Math.max(1, spec.datapointsToAlarm) ? 'ALARM' : 'OK', breaching, values };
      const shown = values.map((v, i) => (v === undefined ? undefined : `${v.toFixed(1)} (${cwShortTime(starts[i]!)})`)).filter(Boolean);
      const reason =
        shown.length === 0
          ? `Threshold Crossed: no datapoints were received for ${values.length} period(s) and the missing datapoints were treated as [${spec.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}].`
          : `Threshold Crossed: ${ev.state === 'ALARM' ? breaching : shown.length} out of the last ${values.length} datapoints [${shown.reverse().join(', ')}] ${ev.state === 'ALARM' ? 'were' : 'were not'} ${cmp.words} the threshold (${spec.threshold.toFixed(1)}).`;
      return { ev, reason };
    },
  };
}
