import { METRICS, METRICS_NAMESPACE, DIMENSIONS } from '@lean-ops/contracts';
import { parseEmfLine } from './emf';
import { MetricStore } from './metric-store';

const emf = (extra: Record<string, unknown>, metrics: string[], dims: string[][] = [[DIMENSIONS.topic]], ts = 1_700_000_000_000) =>
  JSON.stringify({
    _aws: { Timestamp: ts, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: dims, Metrics: metrics.map((Name) => ({ Name, Unit: 'Count' })) }] },
    ...extra,
  });

describe('parseEmfLine', () => {
  it('turns each metric of a directive into a datapoint with its dimensions and timestamp', () => {
    const dps = parseEmfLine(emf({ Topic: 'orders', [METRICS.received]: 20, [METRICS.failed]: 12 }, [METRICS.received, METRICS.failed]));
    expect(dps).toEqual([
      { namespace: METRICS_NAMESPACE, name: METRICS.received, dimensions: { Topic: 'orders' }, value: 20, unit: 'Count', timestamp: 1_700_000_000_000 },
      { namespace: METRICS_NAMESPACE, name: METRICS.failed, dimensions: { Topic: 'orders' }, value: 12, unit: 'Count', timestamp: 1_700_000_000_000 },
    ]);
  });

  it('reads the JSON after a Lambda runtime prefix', () => {
    const line = `2026-11-26T08:15:42.123Z\tabc-123\tINFO\t${emf({ Topic: 'a', [METRICS.failed]: 1 }, [METRICS.failed])}`;
    expect(parseEmfLine(line).map((d) => d.value)).toEqual([1]);
  });

  it('emits one datapoint per dimension set and per array sample', () => {
    const dps = parseEmfLine(emf({ Topic: 'a', [METRICS.failed]: [1, 2] }, [METRICS.failed], [[DIMENSIONS.topic], []]));
    expect(dps.map((d) => [d.dimensions, d.value])).toEqual([
      [{ Topic: 'a' }, 1],
      [{ Topic: 'a' }, 2],
      [{}, 1],
      [{}, 2],
    ]);
  });

  it('skips a dimension set whose value is missing, and metrics without a numeric value', () => {
    expect(parseEmfLine(emf({ [METRICS.failed]: 3 }, [METRICS.failed]))).toEqual([]);
    expect(parseEmfLine(emf({ Topic: 'a', [METRICS.failed]: 'x' }, [METRICS.failed]))).toEqual([]);
  });

  it('ignores plain log lines and broken JSON', () => {
    expect(parseEmfLine('START RequestId: 1 Version: $LATEST')).toEqual([]);
    expect(parseEmfLine('{"level":"INFO","msg":"no metrics"}')).toEqual([]);
    expect(parseEmfLine('{"_aws": {')).toEqual([]);
  });

  it('uses the arrival time when the line has no timestamp', () => {
    const line = JSON.stringify({ _aws: { CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'M' }] }] }, M: 1 });
    expect(parseEmfLine(line, 42)[0]?.timestamp).toBe(42);
  });
});

describe('MetricStore', () => {
  it('sums by exact dimension set within [start, end)', () => {
    const store = new MetricStore();
    store.ingestLogLine(emf({ Topic: 'a', [METRICS.failed]: 2 }, [METRICS.failed], [[DIMENSIONS.topic]], 1000));
    store.ingestLogLine(emf({ Topic: 'a', [METRICS.failed]: 3 }, [METRICS.failed], [[DIMENSIONS.topic]], 2000));
    store.ingestLogLine(emf({ Topic: 'b', [METRICS.failed]: 7 }, [METRICS.failed], [[DIMENSIONS.topic]], 1500));
    const q = { namespace: METRICS_NAMESPACE, name: METRICS.failed, dimensions: { Topic: 'a' } };
    expect(store.statistics(q, 0, 2000)).toEqual({ sum: 2, sampleCount: 1, maximum: 2, minimum: 2 });
    expect(store.statistics(q, 0, 2001)).toEqual({ sum: 5, sampleCount: 2, maximum: 3, minimum: 2 });
    expect(store.statistics(q, 5000, 6000)).toEqual({ sum: 0, sampleCount: 0 });
    expect(store.total({ ...q, dimensions: { Topic: 'b' } })).toBe(7);
    expect(store.total({ ...q, dimensions: {} })).toBe(0);
  });
});
