import { DIMENSIONS, METRICS_NAMESPACE, type MetricName } from '@lean-ops/contracts';
import { writeLine } from './logger';

export type MetricValues = Partial<Record<MetricName, number>>;

/** One CloudWatch Embedded Metric Format document: counts for one topic (dimension Topic). */
export function emfDocument(topic: string, values: MetricValues, timestampMs: number): Record<string, unknown> {
  const names = Object.keys(values) as MetricName[];
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [[DIMENSIONS.topic]], Metrics: names.map((Name) => ({ Name, Unit: 'Count' })) }],
    },
    [DIMENSIONS.topic]: topic,
    ...values,
  };
}

export function emitMetrics(topic: string, values: MetricValues, timestampMs = Date.now()): void {
  if (Object.keys(values).length === 0) return;
  writeLine(JSON.stringify(emfDocument(topic, values, timestampMs)));
}
