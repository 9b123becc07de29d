import type { AlarmSpec, MetricStatSpec } from '../plan/build-alarms';
import type { AlarmState } from './alarm-rules';

/** An alarm's current state as the evaluator holds it. */
export interface AlarmStatus {
  state: AlarmState;
  reason: string;
  /** When the state last changed (epoch ms); the alarm's creation before the first change. */
  updatedAt: number;
}

/** The state reason of an alarm not evaluated yet, as CloudWatch gives it. */
export const UNCHECKED_REASON = 'Unchecked: Initial alarm creation';

export interface DescribeAlarmsInput {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  StateValue?: string;
  AlarmTypes?: string[];
  MaxRecords?: number;
  NextToken?: string;
}

/** The MetricAlarm members this stand-in knows, named as the CloudWatch API Reference names them. */
export type MetricAlarm = Record<string, unknown>;

/** DescribeAlarms' errors: query code -> the shape the service model names (CloudWatch API Reference, "DescribeAlarms", "Common Errors"). */
const ERROR_SHAPES = { InvalidNextToken: 'InvalidNextToken', InvalidParameterValue: 'InvalidParameterValueException', InvalidParameterCombination: 'InvalidParameterCombinationException' } as const;

export class DescribeAlarmsError extends Error {
  readonly shape: string;

  constructor(
    readonly code: keyof typeof ERROR_SHAPES,
    message: string,
  ) {
    super(message);
    this.shape = ERROR_SHAPES[code];
  }
}

const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
/** DescribeAlarms: MaxRecords 1..100, default 50 (CloudWatch API Reference, "DescribeAlarms"). */
const MAX_RECORDS = { min: 1, max: 100, default: 50 };

/**
 * DescribeAlarms over the plan's metric alarms (CloudWatch API Reference, "DescribeAlarms"): AlarmNames or
 * AlarmNamePrefix (not both), StateValue, AlarmTypes, paging by MaxRecords and NextToken. The stack has no
 * composite alarms, so CompositeAlarms is always empty.
 */
export function describeAlarms(
  specs: readonly AlarmSpec[],
  status: (name: string) => AlarmStatus,
  accountArn: (name: string) => string,
  input: DescribeAlarmsInput,
): { MetricAlarms: MetricAlarm[]; CompositeAlarms: []; NextToken?: string } {
  if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) throw new DescribeAlarmsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.');
  if (input.StateValue !== undefined && !STATES.includes(input.StateValue)) throw new DescribeAlarmsError('InvalidParameterValue', `StateValue must be one of ${STATES.join(', ')}.`);
  const max = input.MaxRecords ?? MAX_RECORDS.default;
  if (!Number.isInteger(max) || max < MAX_RECORDS.min || max > MAX_RECORDS.max)
    throw new DescribeAlarmsError('InvalidParameterValue', `MaxRecords must be between ${MAX_RECORDS.min} and ${MAX_RECORDS.max}.`);
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isInteger(start) || start < 0) throw new DescribeAlarmsError('InvalidNextToken', 'The NextToken is not valid.');
  const wanted = input.AlarmTypes === undefined || input.AlarmTypes.length === 0 || input.AlarmTypes.includes('MetricAlarm');
  const chosen = [...specs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((s) => wanted && (!input.AlarmNames?.length || input.AlarmNames.includes(s.name)) && (input.AlarmNamePrefix === undefined || s.name.startsWith(input.AlarmNamePrefix)))
    .filter((s) => input.StateValue === undefined || status(s.name).state === input.StateValue);
  const page = chosen.slice(start, start + max).map((s) => metricAlarm(s, status(s.name), accountArn(s.name)));
  return { MetricAlarms: page, CompositeAlarms: [], ...(start + max < chosen.length ? { NextToken: String(start + max) } : {}) };
}

function metricAlarm(s: AlarmSpec, st: AlarmStatus, arn: string): MetricAlarm {
  return {
    AlarmName: s.name,
    AlarmArn: arn,
    ...(s.description !== null ? { AlarmDescription: s.description } : {}),
    ActionsEnabled: true,
    OKActions: s.okActions,
    AlarmActions: s.alarmActions,
    InsufficientDataActions: [],
    StateValue: st.state,
    StateReason: st.reason,
    StateUpdatedTimestamp: new Date(st.updatedAt),
    ...(s.metric ? metricFields(s.metric) : { Metrics: (s.queries ?? []).map(metricQuery) }),
    EvaluationPeriods: s.evaluationPeriods,
    DatapointsToAlarm: s.datapointsToAlarm,
    Threshold: s.threshold,
    ComparisonOperator: s.comparison,
    TreatMissingData: s.treatMissingData,
  };
}

const dimensions = (d: Record<string, string>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));

function metricFields(m: MetricStatSpec): MetricAlarm {
  return { MetricName: m.metricName, Namespace: m.namespace, Statistic: m.stat, Dimensions: dimensions(m.dimensions), Period: m.periodSeconds };
}

function metricQuery(q: NonNullable<AlarmSpec['queries']>[number]): MetricAlarm {
  return {
    Id: q.id,
    ReturnData: q.returnData,
    ...(q.label !== undefined ? { Label: q.label } : {}),
    ...(q.expression !== undefined ? { Expression: q.expression } : {}),
    ...(q.metric
      ? { MetricStat: { Metric: { Namespace: q.metric.namespace, MetricName: q.metric.metricName, Dimensions: dimensions(q.metric.dimensions) }, Period: q.metric.periodSeconds, Stat: q.metric.stat } }
      : {}),
    ...(q.periodSeconds !== undefined && !q.metric ? { Period: q.periodSeconds } : {}),
  };
}
