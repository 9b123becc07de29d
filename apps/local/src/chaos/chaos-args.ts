export interface ChaosArgs {
  only?: string;
  size?: number;
  json: boolean;
}

export class ChaosUsageError extends Error {}

export function parseChaosArgs(argv: readonly string[], scenarioNames: readonly string[]): ChaosArgs {
  const out: ChaosArgs = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--only' || a === '--size') {
      const v = argv[++i];
      if (v === undefined) throw new ChaosUsageError(`${a} needs a value`);
      if (a === '--only') out.only = v;
      else out.size = Number(v);
    } else throw new ChaosUsageError(`unknown argument ${JSON.stringify(a)}`);
  }
  if (out.only !== undefined && !scenarioNames.includes(out.only)) throw new ChaosUsageError(`no scenario ${JSON.stringify(out.only)} (one of ${scenarioNames.join(', ')})`);
  if (out.size !== undefined && !(Number.isInteger(out.size) && out.size > 0)) throw new ChaosUsageError('--size must be an integer > 0');
  return out;
}
