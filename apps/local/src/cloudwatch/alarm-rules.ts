/** Pure alarm logic: how CloudWatch turns period values into a state. No timers, no I/O. */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface ErrorRateRule {
  /** ALARM when more than this percentage of received records failed... */
  thresholdPercent: number;
  /** ...and at least this many failed (1 of 1 must not trip the breaker). */
  minErrors: number;
}

export interface PeriodCounts {
  /** Sum of the failed metric in the period (undefined: no datapoint). */
  failed?: number;
  /** Sum of the received metric in the period (undefined: no datapoint). */
  received?: number;
}

/**
 * The alarm's metric-math value for one period, contracts' errorRateExpression over ERROR_RATE_METRICS
 * (first receives): `IF(failed >= minErrors AND received > 0, 100 * failed / received, 0)`.
 * Undefined when neither metric has data in the period (missing data).
 */
export function errorRateValue(c: PeriodCounts, rule: ErrorRateRule): number | undefined {
  if (c.failed === undefined && c.received === undefined) return undefined;
  const failed = c.failed ?? 0;
  const received = c.received ?? 0;
  if (failed < rule.minErrors || received <= 0) return 0;
  return (100 * failed) / received;
}

export interface Evaluation {
  state: Exclude<AlarmState, 'INSUFFICIENT_DATA'>;
  /** Breaching periods among those evaluated. */
  breaching: number;
  /** Period values, oldest first (undefined: missing). */
  values: Array<number | undefined>;
  /** How values were compared with the threshold (default GreaterThanThreshold). */
  comparison?: Comparison;
}

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';

/**
 * `datapointsToAlarm` of the last `periods.length` periods must breach (by `comparison`, default GreaterThanThreshold)
 * for ALARM. Missing data is treated as not breaching (`treat_missing_data = notBreaching`), so no data means OK.
 */
export function evaluateThreshold(
  values: Array<number | undefined>,
  threshold: number,
  datapointsToAlarm = values.length,
  comparison: Comparison = 'GreaterThanThreshold',
): Evaluation {
  const breaches = (v: number) => (comparison === 'GreaterThanOrEqualToThreshold' ? v >= threshold : v > threshold);
  const breaching = values.filter((v) => v !== undefined && breaches(v)).length;
  return { state: breaching >= Math.max(1, datapointsToAlarm) ? 'ALARM' : 'OK', breaching, values, ...(comparison !== 'GreaterThanThreshold' ? { comparison } : {}) };
}

export function evaluateErrorRate(periods: PeriodCounts[], rule: ErrorRateRule, datapointsToAlarm = periods.length): Evaluation {
  return evaluateThreshold(
    periods.map((p) => errorRateValue(p, rule)),
    rule.thresholdPercent,
    datapointsToAlarm,
  );
}

/** CloudWatch's reason text, e.g. `Threshold Crossed: 1 out of the last 1 datapoints [60.0 (26/11/26 08:15:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).` */
export function stateReason(ev: Evaluation, threshold: number, periodStarts: number[]): string {
  const shown = ev.values
    .map((v, i) => (v === undefined ? undefined : `${v.toFixed(1)} (${cwShortTime(periodStarts[i])})`))
    .filter((s): s is string => s !== undefined)
    .reverse();
  const n = ev.values.length;
  if (shown.length === 0) return `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${n} missing datapoint${n === 1 ? ' was' : 's were'} treated as [NonBreaching].`;
  const relation = ev.comparison === 'GreaterThanOrEqualToThreshold' ? 'greater than or equal to' : 'greater than';
  const verb = ev.state === 'ALARM' ? relation : `not ${relation}`;
  return `Threshold Crossed: ${ev.state === 'ALARM' ? ev.breaching : shown.length} out of the last ${n} datapoints [${shown.join(', ')}] ${ev.state === 'ALARM' && ev.breaching === 1 ? 'was' : 'were'} ${verb} the threshold (${threshold.toFixed(1)}).`;
}

function cwShortTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
