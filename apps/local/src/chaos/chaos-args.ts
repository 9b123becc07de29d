import { planSourceOf, type PlanSource } from '../cli/plan-source-flags';

export interface ChaosArgs {
  only?: string;
  /** `--env NAME`, `--env-file FILE`, `--stack FILE`: the stack every scenario runs (default: the local environment). */
  source: PlanSource;
  size?: number;
  /** Runs of the whole matrix (`--repeat N`); 1 without the flag. */
  repeat: number;
  json: boolean;
}

export class ChaosUsageError extends Error {}

const VALUE_FLAGS = ['--only', '--size', '--repeat', '--env', '--env-file', '--stack'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function positiveInteger(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new ChaosUsageError(`${flag} must be an integer > 0 (got ${JSON.stringify(v)})`);
  return n;
}

export function parseChaosArgs(argv: readonly string[], scenarioNames: readonly string[]): ChaosArgs {
  const out: ChaosArgs = { repeat: 1, json: false, source: {} };
  const plan: { env?: string; envFile?: string; stack?: string } = {};
  const rest = [...argv];
  for (let a = rest.shift(); a !== undefined; a = rest.shift()) {
    if (a === '--json') {
      out.json = true;
      continue;
    }
    if (!VALUE_FLAGS.includes(a as ValueFlag)) throw new ChaosUsageError(`unknown argument ${JSON.stringify(a)}`);
    const v = rest.shift();
    if (v === undefined) throw new ChaosUsageError(`${a} needs a value`);
    if (a === '--only') out.only = v;
    else if (a === '--env') plan.env = v;
    else if (a === '--env-file') plan.envFile = v;
    else if (a === '--stack') plan.stack = v;
    else if (a === '--size') out.size = positiveInteger(a, v);
    else out.repeat = positiveInteger(a, v);
  }
  const source = planSourceOf(plan);
  if (!source.ok) throw new ChaosUsageError(source.error);
  out.source = source.source;
  if (out.only !== undefined && !scenarioNames.includes(out.only)) throw new ChaosUsageError(`no scenario ${JSON.stringify(out.only)} (one of ${scenarioNames.join(', ')})`);
  return out;
}
