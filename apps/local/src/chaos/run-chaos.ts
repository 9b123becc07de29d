import { performance } from 'node:perf_hooks';
import { chaosRow, failedRow } from './chaos-row';
import type { ChaosRow, ChaosScenario, PlanSource } from './chaos-types';

export interface RunChaosOptions {
  /** Overrides every scenario's default size. */
  size?: number;
  /** The stack every scenario runs (`--env`, `--env-file`, `--stack`). */
  source?: PlanSource;
  log?: (line: string) => void;
  onRow?: (row: ChaosRow) => void;
}

/** One scenario, timed; a scenario that throws gives a failed row rather than stopping the matrix. */
export async function runScenario(s: ChaosScenario, o: RunChaosOptions = {}): Promise<ChaosRow> {
  const started = performance.now();
  const log = o.log ?? (() => undefined);
  try {
    const outcome = await s.run({ size: o.size ?? s.defaultSize, log, source: o.source ?? {} });
    return chaosRow(s.name, outcome, (performance.now() - started) / 1000);
  } catch (err) {
    return failedRow(s.name, err, (performance.now() - started) / 1000);
  }
}

/** Scenarios one after another (each on its own fresh stack: they would disturb each other's counts). */
export async function runChaos(scenarios: readonly ChaosScenario[], o: RunChaosOptions = {}): Promise<ChaosRow[]> {
  const rows: ChaosRow[] = [];
  for (const s of scenarios) {
    o.log?.(`chaos: ${s.name}: ${s.title}`);
    const row = await runScenario(s, o);
    o.onRow?.(row);
    rows.push(row);
  }
  return rows;
}
