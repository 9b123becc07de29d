import type { FunctionKind } from '@lean-ops/contracts';
import type { BundleFigures } from './bundles';
import type { EndToEndFigures } from './end-to-end';
import type { HotPathResult } from './hot-path';
import { checkTargets, type TargetCheck, type TargetInputs } from './targets';
import type { SynthFigures, ToolFigures } from './toolchain';

export interface BenchReport {
  machine: { cpus: number; node: string; platform: string };
  endToEnd: EndToEndFigures;
  /** The same volume and topics with no faults in the mix. */
  endToEndNoFaults: EndToEndFigures;
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

export interface BenchParts {
  machine: BenchReport['machine'];
  endToEnd: EndToEndFigures;
  endToEndNoFaults: EndToEndFigures;
  hotPath: HotPathResult;
  hotPathStagesMicros: Record<string, number>;
  icebergWriter: BenchReport['icebergWriter'];
  synth: SynthFigures;
  typecheck: BenchReport['typecheck'];
  bundles: BenchReport['bundles'];
}

/** One JSON object: the figures and, for the three targets, value, target and met. */
export function benchReport(p: BenchParts): BenchReport {
  return {
    machine: p.machine,
    endToEnd: p.endToEnd,
    endToEndNoFaults: p.endToEndNoFaults,
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
      endToEndNoFaultsRecordsPerSecond: p.endToEndNoFaults.recordsPerSecond,
      // The injector's rate into the stack's SQS endpoint, from the run without faults.
      injectorRecordsPerSecond: p.endToEndNoFaults.injectorRecordsPerSecond,
      hotPathRatio: p.hotPath.ratio,
      firehoseCallsPer1000Records: p.endToEnd.firehoseCallsPer1000Records,
      // The normal path's cost: the run without faults, where every record is a first receive.
      processorCallsPer1000Records: p.endToEndNoFaults.processorCallsPer1000Records,
      stackStartupSeconds: p.endToEnd.stackStartupSeconds,
    }),
  };
}
