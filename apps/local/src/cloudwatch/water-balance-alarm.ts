import { DIMENSIONS, METRICS, METRICS_NAMESPACE, names } from '@lean-ops/contracts';
import type { AlarmDefinition } from './alarm';
import { evaluateThreshold, stateReason } from './alarm-rules';
import type { MetricStore } from './metric-store';

export interface WaterBalanceAlarmOptions {
  namePrefix: string;
  topics: readonly string[];
  /** ALARM when the largest gap of any topic in the period is greater than this (alarms.water_balance_gap). */
  threshold: number;
  periodSeconds: number;
  store: MetricStore;
}

/**
 * The water-balance alarm as ObservabilityModule defines it: one Metrics Insights query,
 * `SELECT MAX(WaterBalanceGap) FROM "LeanOps"`, i.e. the largest datapoint of any topic's series in the period,
 * GreaterThanThreshold, missing data not breaching.
 */
export function waterBalanceGapAlarm(o: WaterBalanceAlarmOptions): AlarmDefinition {
  const periodMs = o.periodSeconds * 1000;
  return {
    name: names.waterBalanceAlarm(o.namePrefix),
    description: `Records received but neither delivered, quarantined nor retried exceed ${o.threshold} in a window`,
    threshold: o.threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    periodSeconds: o.periodSeconds,
    trigger: {
      Metrics: [{ Id: 'gap', Expression: `SELECT MAX(${METRICS.waterBalanceGap}) FROM "${METRICS_NAMESPACE}"`, Period: o.periodSeconds, ReturnData: true }],
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: o.threshold,
      TreatMissingData: 'notBreaching',
      EvaluateLowSampleCountPercentile: '',
    },
    async evaluate(now) {
      const start = now - periodMs;
      const maxima = o.topics
        .map((t) => o.store.statistics({ namespace: METRICS_NAMESPACE, name: METRICS.waterBalanceGap, dimensions: { [DIMENSIONS.topic]: t } }, start, now).maximum)
        .filter((v): v is number => v !== undefined);
      const ev = evaluateThreshold([maxima.length ? Math.max(...maxima) : undefined], o.threshold, 1);
      return { ev, reason: stateReason(ev, o.threshold, [start]) };
    },
  };
}
