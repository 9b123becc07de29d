import type { FunctionKind } from '@lean-ops/contracts';
import type { BundleFigures } from './bundles';
import type { EndToEndFigures } from './end-to-end';
import type { HotPathResult } from './hot-path';
import { checkTargets, median, type TargetCheck, type TargetInputs } from './targets';
import type { SynthFigures, ToolFigures } from './toolchain';

export interface BenchReport {
  machine: { cpus: number; node: string; platform: string };
  endToEnd: EndToEndFigures;
  /** The same volume and topics with no faults in the mix: of the repeated runs, the one with the median end-to-end rate. */
  endToEndNoFaults: EndToEndFigures;
  /** Every run without faults (each on a fresh stack), in order, and the medians the targets use. */
  endToEndNoFaultsRuns: NoFaultRuns;
  hotPath: HotPathResult;
  /** Microseconds per record of each hot-path stage. */
  hotPathStagesMicros: Record<string, number>;
  firehoseCallsPer1000Records: number;
  /** Seconds to start the local stack (synthesis included), from the run with the default scenario. */
  stackStartupSeconds: number;
  icebergWriter: { rows: number; rowsPerSecond: number };
  synth: SynthFigures;
  typecheck: ToolFigures & { ok: boolean };
  bundles: Record<FunctionKind, BundleFigures>;
  targets: Record<keyof TargetInputs, TargetCheck>;
}

export interface NoFaultRuns {
  runs: number;
  recordsPerSecond: number[];
  injectorRecordsPerSecond: number[];
  medianRecordsPerSecond: number;
  medianInjectorRecordsPerSecond: number;
}

export interface BenchParts {
  machine: BenchReport['machine'];
  endToEnd: EndToEndFigures;
  /** The runs without faults, in order (at least one). */
  endToEndNoFaults: EndToEndFigures[];
  hotPath: HotPathResult;
  hotPathStagesMicros: Record<string, number>;
  icebergWriter: BenchReport['icebergWriter'];
  synth: SynthFigures;
  typecheck: BenchReport['typecheck'];
  bundles: BenchReport['bundles'];
}

/** One JSON object: the figures and, for the three targets, value, target and met. */
export function benchReport(p: BenchParts): BenchReport {
  const runs = noFaultRuns(p.endToEndNoFaults);
  const endToEndNoFaults = p.endToEndNoFaults.find((r) => r.recordsPerSecond === runs.medianRecordsPerSecond);
  if (!endToEndNoFaults) throw new RangeError('the bench needs at least one run without faults');
  return {
    machine: p.machine,
    endToEnd: p.endToEnd,
    endToEndNoFaults,
    endToEndNoFaultsRuns: runs,
    hotPath: p.hotPath,
    hotPathStagesMicros: p.hotPathStagesMicros,
    firehoseCallsPer1000Records: p.endToEnd.firehoseCallsPer1000Records,
    stackStartupSeconds: p.endToEnd.stackStartupSeconds,
    icebergWriter: p.icebergWriter,
    synth: p.synth,
    typecheck: p.typecheck,
    bundles: p.bundles,
    targets: checkTargets({
      endToEndRecordsPerSecond: p.endToEnd.recordsPerSecond,
      endToEndNoFaultsRecordsPerSecond: runs.medianRecordsPerSecond,
      // The injector's rate into the stack's SQS endpoint, from the runs without faults.
      injectorRecordsPerSecond: runs.medianInjectorRecordsPerSecond,
      hotPathRatio: p.hotPath.ratio,
      firehoseCallsPer1000Records: p.endToEnd.firehoseCallsPer1000Records,
      // The normal path's cost: the run without faults, where every record is a first receive.
      processorCallsPer1000Records: endToEndNoFaults.processorCallsPer1000Records,
      stackStartupSeconds: p.endToEnd.stackStartupSeconds,
    }),
  };
}

/** The rates of every run without faults and their medians. */
function noFaultRuns(runs: readonly EndToEndFigures[]): NoFaultRuns {
  const recordsPerSecond = runs.map((r) => r.recordsPerSecond);
  const injectorRecordsPerSecond = runs.map((r) => r.injectorRecordsPerSecond);
  return { runs: runs.length, recordsPerSecond, injectorRecordsPerSecond, medianRecordsPerSecond: median(recordsPerSecond), medianInjectorRecordsPerSecond: median(injectorRecordsPerSecond) };
}
