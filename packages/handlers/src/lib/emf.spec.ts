import { METRICS } from '@lean-ops/contracts';
import { emfDocument, emitMetrics } from './emf';
import { setLogSink } from './logger';

describe('EMF', () => {
  it('declares each metric under namespace LeanOps with the Topic dimension', () => {
    const doc = emfDocument('orders', { [METRICS.received]: 3, [METRICS.failed]: 1 }, 1234);
    expect(doc).toEqual({
      _aws: {
        Timestamp: 1234,
        CloudWatchMetrics: [
          {
            Namespace: 'LeanOps',
            Dimensions: [['Topic']],
            Metrics: [
              { Name: 'RecordsReceived', Unit: 'Count' },
              { Name: 'RecordsFailed', Unit: 'Count' },
            ],
          },
        ],
      },
      Topic: 'orders',
      RecordsReceived: 3,
      RecordsFailed: 1,
    });
  });
  it('writes one unprefixed JSON line, and nothing for no values', () => {
    const lines: string[] = [];
    const prev = setLogSink((l) => lines.push(l));
    try {
      emitMetrics('orders', { [METRICS.delivered]: 2 }, 1);
      emitMetrics('orders', {}, 1);
    } finally {
      setLogSink(prev);
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? 'null')?.RecordsDelivered).toBe(2);
  });
});
