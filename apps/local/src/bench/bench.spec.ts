import { benchReport } from './bench-report';
import { processorCallFigures } from './end-to-end';
import { baselinePass, hotPathStages, measureHotPath, processorPass } from './hot-path';
import { callsPerThousand, checkTargets, median } from './targets';
import { parseElapsed, parseTimeV } from './toolchain';

const good = { topic: 'orders', body: '{"message_id":"a","json_payload":{"order_id":1}}', expectedFields: ['order_id'] };
const badPayload = { topic: 'orders', body: '{"message_id":"b","json_payload":[1]}', expectedFields: ['order_id'] };
const malformed = { topic: 'orders', body: '{"message_id":"c",', expectedFields: ['order_id'] };
const inputs = [good, badPayload, malformed];

describe('bench measurements', () => {
  it('plans one Firehose call per batch of deliverable records', () => {
    expect(processorPass(inputs, 100, 1795680000000000)).toBe(1);
    expect(processorPass([good, good, good], 1, 1795680000000000)).toBe(3);
    expect(processorPass([badPayload, malformed], 100, 1795680000000000)).toBe(0);
    expect(baselinePass(inputs)).toBeGreaterThan(0);
  });

  it('reports the hot path and its ratio to the baseline', () => {
    const r = measureHotPath(inputs, { runs: 1 });
    expect(r.records).toBe(3);
    expect(r.recordsPerSecond).toBeGreaterThan(0);
    expect(r.baselineRecordsPerSecond).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.recordsPerSecond / r.baselineRecordsPerSecond, 1);
    expect(Object.keys(hotPathStages(inputs, 1))).toEqual(['jsonParse', 'scanJson', 'parseMessage', 'toRawRow', 'rowLine']);
  });

  it('reads GNU time -v', () => {
    const stderr = '\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50\n\tMaximum resident set size (kbytes): 524288\n';
    expect(parseTimeV(stderr)).toEqual({ seconds: 62.5, maxRssKb: 524288 });
    expect(parseElapsed('1:00:01')).toBe(3601);
    expect(parseTimeV('nothing')).toBeUndefined();
  });

  it('flags each target met or missed', () => {
    expect(callsPerThousand(12, 4000)).toBe(3);
    expect(callsPerThousand(1, 0)).toBe(0);
    const t = checkTargets({
      endToEndRecordsPerSecond: 4999,
      endToEndNoFaultsRecordsPerSecond: 5000,
      injectorRecordsPerSecond: 9999,
      hotPathRatio: 0.5,
      firehoseCallsPer1000Records: 3.01,
      processorCallsPer1000Records: 1004,
      stackStartupSeconds: 20.5,
    });
    expect(t.endToEndRecordsPerSecond).toEqual({ value: 4999, target: '>= 5000', met: false });
    expect(t.endToEndNoFaultsRecordsPerSecond).toEqual({ value: 5000, target: '>= 5000', met: true });
    expect(t.injectorRecordsPerSecond).toEqual({ value: 9999, target: '>= 10000', met: false });
    expect(t.hotPathRatio.met).toBe(true);
    expect(t.firehoseCallsPer1000Records).toEqual({ value: 3.01, target: '<= 3', met: false });
    expect(t.stackStartupSeconds).toEqual({ value: 20.5, target: '<= 20', met: false });
    expect(t.processorCallsPer1000Records).toEqual({ value: 1004, target: '<= 10', met: false });
  });

  it('counts only the processor role calls, per 1,000 records', () => {
    const calls = [
      { principal: 'arn:aws:sts::1:assumed-role/lo-sqs-processor/lo-sqs-processor', action: 'firehose:PutRecordBatch', count: 10 },
      { principal: 'arn:aws:sts::1:assumed-role/lo-sqs-processor/lo-sqs-processor', action: 'dynamodb:UpdateItem', count: 10 },
      { principal: 'arn:aws:sts::1:assumed-role/lo-dlq-processor/lo-dlq-processor', action: 'dynamodb:UpdateItem', count: 99 },
    ];
    expect(processorCallFigures(calls, 'lo-sqs-processor', 5000)).toEqual({
      processorCalls: { 'firehose:PutRecordBatch': 10, 'dynamodb:UpdateItem': 10 },
      processorCallsPer1000Records: 4,
    });
  });

  it('takes the median of the runs without faults', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBe(0);
  });

  it('puts every figure in one JSON object', () => {
    const bundle = { bytes: 1, coldInitMs: 2 };
    const report = benchReport({
      machine: { cpus: 2, node: 'v20', platform: 'linux x64' },
      endToEnd: {
        scenario: 's',
        sent: 10,
        rawRows: 10,
        recordsPerSecond: 6000,
        settleSeconds: 1,
        injectorRecordsPerSecond: 1,
        injectorSeconds: 1,
        loadAverage1m: 0.5,
        connections: 2,
        firehoseCalls: 1,
        firehoseCallsPer1000Records: 100,
        processorCallsPer1000Records: 50,
        processorCalls: {},
        balanceHolds: true,
        stackStartupSeconds: 9,
      },
      endToEndNoFaults: [noFault(7000, 12_000), noFault(5200, 9000), noFault(7400, 10_500)],
      hotPath: { records: 3, recordsPerSecond: 2, baselineRecordsPerSecond: 4, ratio: 0.5 },
      hotPathStagesMicros: { jsonParse: 1 },
      icebergWriter: { rows: 1, rowsPerSecond: 1 },
      synth: { seconds: 1, stacks: ['dev'], peakRssMb: 1 },
      typecheck: { seconds: 1, peakRssMb: 1, rssSource: 'time -v', ok: true },
      bundles: { 'sqs-processor': bundle, 'dlq-processor': bundle, 'circuit-breaker': bundle, 'water-balance': bundle },
    });
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({
      firehoseCallsPer1000Records: 100,
      endToEndNoFaults: { recordsPerSecond: 7000, injectorRecordsPerSecond: 12_000 },
      endToEndNoFaultsRuns: { runs: 3, recordsPerSecond: [7000, 5200, 7400], injectorRecordsPerSecond: [12_000, 9000, 10_500], medianRecordsPerSecond: 7000, medianInjectorRecordsPerSecond: 10_500 },
      targets: {
        endToEndRecordsPerSecond: { met: true },
        endToEndNoFaultsRecordsPerSecond: { value: 7000, met: true },
        injectorRecordsPerSecond: { value: 10_500, target: '>= 10000', met: true },
        hotPathRatio: { met: true },
        firehoseCallsPer1000Records: { met: false },
        stackStartupSeconds: { value: 9, met: true },
        processorCallsPer1000Records: { value: 4, met: true },
      },
    });
  });
});

/** A run without faults with these rates (the other figures as a quick run has them). */
function noFault(recordsPerSecond: number, injectorRecordsPerSecond: number) {
  return {
    scenario: 's',
    sent: 10,
    rawRows: 10,
    recordsPerSecond,
    settleSeconds: 1,
    injectorRecordsPerSecond,
    injectorSeconds: 1,
    loadAverage1m: 0.5,
    connections: 2,
    firehoseCalls: 1,
    firehoseCallsPer1000Records: 100,
    processorCallsPer1000Records: 4,
    processorCalls: {},
    balanceHolds: true,
    stackStartupSeconds: 8,
  };
}
