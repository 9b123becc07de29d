import { resolvedArgs, type AttributeTable } from './resolve-references';
import type { TerraformResource } from './terraform-json';

export interface MetricStatSpec {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** CloudWatch statistic: Sum, Maximum, Minimum, Average, SampleCount. */
  stat: string;
  periodSeconds: number;
}

export interface MetricQuerySpec {
  id: string;
  returnData: boolean;
  label?: string;
  metric?: MetricStatSpec;
  expression?: string;
  periodSeconds?: number;
}

export type ComparisonOperator = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

/** One aws_cloudwatch_metric_alarm as synthesized, references resolved. */
export interface AlarmSpec {
  address: string;
  name: string;
  description: string | null;
  comparison: ComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** The alarm's period: its metric's, or the returned query's. */
  periodSeconds: number;
  treatMissingData: 'notBreaching' | 'breaching';
  metric?: MetricStatSpec;
  queries?: MetricQuerySpec[];
  alarmActions: string[];
  okActions: string[];
}

type Args = Record<string, unknown>;
const COMPARISONS: readonly string[] = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];

function metricStat(m: Args, fallbackPeriod?: number): MetricStatSpec {
  return {
    namespace: String(m.namespace),
    metricName: String(m.metric_name),
    dimensions: (m.dimensions ?? {}) as Record<string, string>,
    stat: String(m.stat ?? m.statistic ?? 'Sum'),
    periodSeconds: Number(m.period ?? fallbackPeriod ?? 60),
  };
}

/** The alarms of the plan; an alarm the stand-in cannot evaluate (anomaly detection, percentiles) throws, naming it. */
export function buildAlarms(resources: readonly TerraformResource[], table: AttributeTable): AlarmSpec[] {
  return resources
    .filter((r) => r.type === 'aws_cloudwatch_metric_alarm')
    .map((r) => {
      const a = resolvedArgs(r, table);
      const comparison = String(a.comparison_operator);
      if (!COMPARISONS.includes(comparison)) throw new Error(`${r.address}: comparison_operator ${comparison} is not evaluated by the local CloudWatch`);
      const treat = String(a.treat_missing_data ?? 'missing');
      // The module sets notBreaching everywhere; "missing" and "ignore" keep the previous state, which the stand-in does not model.
      if (treat !== 'notBreaching' && treat !== 'breaching') throw new Error(`${r.address}: treat_missing_data ${treat} is not evaluated by the local CloudWatch`);
      if (a.extended_statistic !== undefined || a.threshold_metric_id !== undefined) throw new Error(`${r.address}: percentiles and anomaly bands are not evaluated by the local CloudWatch`);
      const queries = ((a.metric_query as Args[] | undefined) ?? []).map((q) => ({
        id: String(q.id),
        returnData: q.return_data === true,
        ...(q.label !== undefined ? { label: String(q.label) } : {}),
        ...(q.metric ? { metric: metricStat((Array.isArray(q.metric) ? q.metric[0] : q.metric) as Args) } : {}),
        ...(q.expression !== undefined ? { expression: String(q.expression) } : {}),
        ...(q.period !== undefined ? { periodSeconds: Number(q.period) } : {}),
      }));
      const returned = queries.find((q) => q.returnData);
      if (queries.length > 0 && !returned) throw new Error(`${r.address}: no metric_query has return_data = true`);
      const metric = queries.length === 0 ? metricStat(a) : undefined;
      const evaluationPeriods = Number(a.evaluation_periods);
      return {
        address: r.address,
        name: String(a.alarm_name),
        description: a.alarm_description === undefined ? null : String(a.alarm_description),
        comparison: comparison as ComparisonOperator,
        threshold: Number(a.threshold),
        evaluationPeriods,
        datapointsToAlarm: Number(a.datapoints_to_alarm ?? evaluationPeriods),
        periodSeconds: metric?.periodSeconds ?? returned?.metric?.periodSeconds ?? returned?.periodSeconds ?? queries.find((q) => q.metric)?.metric?.periodSeconds ?? 60,
        treatMissingData: treat,
        ...(metric ? { metric } : { queries }),
        alarmActions: (a.alarm_actions as string[] | undefined) ?? [],
        okActions: (a.ok_actions as string[] | undefined) ?? [],
      };
    });
}
