/** The targets for this 2-core machine. */
export const BENCH_TARGETS = {
  endToEndRecordsPerSecond: { min: 5000 },
  endToEndNoFaultsRecordsPerSecond: { min: 5000 },
  injectorRecordsPerSecond: { min: 10_000 },
  hotPathRatio: { min: 0.5 },
  firehoseCallsPer1000Records: { max: 3 },
  // No AWS call per record on the normal path (crash isolation included): per-batch calls only, a few per 1,000.
  processorCallsPer1000Records: { max: 10 },
  // Synthesis of the environment plus every resource and warm functions: `npm start` must stay under 40 s in all.
  stackStartupSeconds: { max: 20 },
} as const;

export interface TargetCheck {
  value: number;
  target: string;
  met: boolean;
}

export const atLeast = (value: number, min: number): TargetCheck => ({ value, target: `>= ${min}`, met: value >= min });
export const atMost = (value: number, max: number): TargetCheck => ({ value, target: `<= ${max}`, met: value <= max });

/** The middle value (the lower middle of an even count); 0 for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** Firehose PutRecordBatch calls per 1,000 records that reached the processor. */
export function callsPerThousand(calls: number, records: number): number {
  return records > 0 ? Math.round((calls / records) * 1000 * 100) / 100 : 0;
}

export interface TargetInputs {
  endToEndRecordsPerSecond: number;
  endToEndNoFaultsRecordsPerSecond: number;
  injectorRecordsPerSecond: number;
  hotPathRatio: number;
  firehoseCallsPer1000Records: number;
  processorCallsPer1000Records: number;
  stackStartupSeconds: number;
}

export function checkTargets(v: TargetInputs): Record<keyof TargetInputs, TargetCheck> {
  return {
    endToEndRecordsPerSecond: atLeast(v.endToEndRecordsPerSecond, BENCH_TARGETS.endToEndRecordsPerSecond.min),
    endToEndNoFaultsRecordsPerSecond: atLeast(v.endToEndNoFaultsRecordsPerSecond, BENCH_TARGETS.endToEndNoFaultsRecordsPerSecond.min),
    injectorRecordsPerSecond: atLeast(v.injectorRecordsPerSecond, BENCH_TARGETS.injectorRecordsPerSecond.min),
    hotPathRatio: atLeast(v.hotPathRatio, BENCH_TARGETS.hotPathRatio.min),
    firehoseCallsPer1000Records: atMost(v.firehoseCallsPer1000Records, BENCH_TARGETS.firehoseCallsPer1000Records.max),
    processorCallsPer1000Records: atMost(v.processorCallsPer1000Records, BENCH_TARGETS.processorCallsPer1000Records.max),
    stackStartupSeconds: atMost(v.stackStartupSeconds, BENCH_TARGETS.stackStartupSeconds.max),
  };
}
