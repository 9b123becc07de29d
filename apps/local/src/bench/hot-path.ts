import { performance } from 'node:perf_hooks';
import { MAX_JSON_DEPTH, classifyError, parseMessage, planFirehoseBatches, prepareRecord, rawRowLine, scanJson, toRawRow, type Deliverable, type ParsedMessage } from '@lean-ops/handlers';

export interface HotPathInput {
  topic: string;
  body: string;
  expectedFields: readonly string[];
}

export interface HotPathResult {
  records: number;
  /** Records/s through parse + classify + normalize + plan (the processor's pure path). */
  recordsPerSecond: number;
  /** Records/s of a bare JSON.parse + JSON.stringify of the same bodies. */
  baselineRecordsPerSecond: number;
  /** recordsPerSecond / baselineRecordsPerSecond. */
  ratio: number;
}

/** The processor's pure path over ESM-sized batches: returns the number of planned PutRecordBatch calls. */
export function processorPass(inputs: readonly HotPathInput[], batchSize: number, ingestedAtMicros: number): number {
  let calls = 0;
  for (let start = 0; start < inputs.length; start += batchSize) {
    const deliver: Deliverable[] = [];
    const end = Math.min(inputs.length, start + batchSize);
    for (let i = start; i < end; i++) {
      const input = inputs[i];
      if (input === undefined) break; // i < end <= inputs.length
      const p = prepareRecord(input.body, {
        topic: input.topic,
        sqsMessageId: `sqs-${i}`,
        receiveCount: 1,
        sourceQueue: input.topic,
        expectedFields: input.expectedFields as string[],
        ingestedAtMicros,
      });
      if (p.kind === 'deliver') deliver.push(p);
      else classifyError(p.reason);
    }
    calls += planFirehoseBatches(deliver).length;
  }
  return calls;
}

/** The floor any JSON pipeline pays: parse every body and write it back out. */
export function baselinePass(inputs: readonly HotPathInput[]): number {
  let bytes = 0;
  for (const input of inputs) {
    let value: unknown;
    try {
      value = JSON.parse(input.body);
    } catch {
      value = null;
    }
    bytes += JSON.stringify(value).length;
  }
  return bytes;
}

/** Median wall time (ms) of `runs` timed calls of `fn`, after `warmup` untimed ones (JIT steady state). */
export function medianMs(fn: () => unknown, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN; // no runs: no median
}

/** Both loops over the same records in the same process, interleaved run by run so drift hits both alike. */
export function measureHotPath(inputs: readonly HotPathInput[], opts: { runs?: number; batchSize?: number } = {}): HotPathResult {
  // Steady state, as in a warm execution environment: both loops warm up alike, then 11 interleaved runs.
  const runs = opts.runs ?? 11;
  const batchSize = opts.batchSize ?? 100;
  const ingestedAtMicros = Date.now() * 1000;
  const hot: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    hot.push(medianMs(() => processorPass(inputs, batchSize, ingestedAtMicros), 1, i === 0 ? 5 : 0));
    base.push(medianMs(() => baselinePass(inputs), 1, i === 0 ? 5 : 0));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const perSecond = (ms: number) => (ms > 0 ? Math.round((inputs.length / ms) * 1000) : 0);
  const recordsPerSecond = perSecond(median(hot));
  const baselineRecordsPerSecond = perSecond(median(base));
  return {
    records: inputs.length,
    recordsPerSecond,
    baselineRecordsPerSecond,
    ratio: baselineRecordsPerSecond > 0 ? round2(recordsPerSecond / baselineRecordsPerSecond) : 0,
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Microseconds per record of each stage of the hot path (where the time goes when the ratio is low). */
export function hotPathStages(inputs: readonly HotPathInput[], runs = 5): Record<string, number> {
  const bodies = inputs.map((i) => i.body);
  const parsed = bodies.map((b) => parseMessage(b)).filter((p): p is ParsedMessage => p.ok);
  const ctx = { topic: 't', sqsMessageId: 's', receiveCount: 1, sourceQueue: 'q', expectedFields: [] as string[], ingestedAtMicros: Date.now() * 1000 };
  const rows = parsed.map((p) => toRawRow(p, ctx));
  const perRecord = (ms: number, n: number) => (n > 0 ? Math.round((ms * 1000 * 100) / n) / 100 : 0);
  const tryParse = (b: string) => {
    try {
      return JSON.parse(b) as unknown;
    } catch {
      return null;
    }
  };
  return {
    jsonParse: perRecord(
      medianMs(() => bodies.forEach(tryParse), runs),
      bodies.length,
    ),
    scanJson: perRecord(
      medianMs(() => bodies.forEach((b) => scanJson(b, MAX_JSON_DEPTH)), runs),
      bodies.length,
    ),
    parseMessage: perRecord(
      medianMs(() => bodies.forEach((b) => parseMessage(b)), runs),
      bodies.length,
    ),
    toRawRow: perRecord(
      medianMs(() => parsed.forEach((p) => toRawRow(p, ctx)), runs),
      parsed.length,
    ),
    // The processor's Firehose record: the RAW row as one JSON line, and its byte size.
    rowLine: perRecord(
      medianMs(() => rows.forEach((r) => Buffer.byteLength(rawRowLine(r), 'utf8')), runs),
      rows.length,
    ),
  };
}
