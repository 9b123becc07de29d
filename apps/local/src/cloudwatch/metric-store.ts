import type { Datapoint } from './emf';
import { parseEmfLine } from './emf';

/** Identity of a time series: namespace, name and exact dimension set (as CloudWatch matches metrics). */
export interface MetricQuery {
  namespace: string;
  name: string;
  dimensions?: Record<string, string>;
}

export interface MetricStatistics {
  sum: number;
  sampleCount: number;
  /** Largest value in the range (undefined without datapoints). */
  maximum?: number;
  /** Smallest value in the range (undefined without datapoints). */
  minimum?: number;
}

const seriesKey = (namespace: string, name: string, dimensions: Record<string, string> = {}) =>
  `${namespace}\u0000${name}\u0000${Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join('\u0000')}`;

/** In-memory time series of every datapoint seen, queried by exact dimension set like CloudWatch. */
export class MetricStore {
  private readonly series = new Map<string, { query: MetricQuery; points: Array<{ timestamp: number; value: number }> }>();

  constructor(private readonly retentionMs = 3 * 3600_000) {}

  put(dp: Datapoint): void {
    const key = seriesKey(dp.namespace, dp.name, dp.dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { query: { namespace: dp.namespace, name: dp.name, dimensions: { ...dp.dimensions } }, points: [] };
      this.series.set(key, s);
    }
    s.points.push({ timestamp: dp.timestamp, value: dp.value });
    const oldest = s.points[0];
    if (s.points.length > 4096 && oldest && oldest.timestamp < dp.timestamp - this.retentionMs) {
      s.points = s.points.filter((p) => p.timestamp >= dp.timestamp - this.retentionMs);
    }
  }

  /** Feeds one log line (e.g. from the Lambda runtime's onLog); returns how many datapoints it held. */
  ingestLogLine(line: string, now?: number): number {
    const dps = parseEmfLine(line, now);
    for (const dp of dps) this.put(dp);
    return dps.length;
  }

  /** Sum and sample count over [startMs, endMs). */
  statistics(q: MetricQuery, startMs: number, endMs: number): MetricStatistics {
    const s = this.series.get(seriesKey(q.namespace, q.name, q.dimensions));
    let sum = 0;
    let sampleCount = 0;
    let maximum: number | undefined;
    let minimum: number | undefined;
    for (const p of s?.points ?? []) {
      if (p.timestamp >= startMs && p.timestamp < endMs) {
        sum += p.value;
        sampleCount += 1;
        maximum = maximum === undefined ? p.value : Math.max(maximum, p.value);
        minimum = minimum === undefined ? p.value : Math.min(minimum, p.value);
      }
    }
    return maximum === undefined ? { sum, sampleCount } : { sum, sampleCount, maximum, minimum };
  }

  /** Every series of one metric name, whatever its dimensions (what a Metrics Insights query without WHERE reads). */
  seriesOf(namespace: string, name: string): MetricQuery[] {
    return this.list().filter((q) => q.namespace === namespace && q.name === name);
  }

  /** Sum over all time (for reports). */
  total(q: MetricQuery): number {
    return this.statistics(q, -Infinity, Infinity).sum;
  }

  /** Every series held (for reports and debugging). */
  list(): MetricQuery[] {
    return [...this.series.values()].map((s) => s.query);
  }
}
