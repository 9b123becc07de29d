import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PLAN_SOURCE_USAGE, planSourceOf } from './plan-source-flags';

export const USAGE = `Usage: npm run local -- <command> [options]     (npm start = npm run local -- run)

Commands
  run     start the local stack, inject a scenario, wait until everything settles, print the
          verification table and the water balance, write report.json; exit 0 only if nothing was lost
          and every verification row passes
          --config FILE      scenario (default apps/injector/tests/configs/thundering_herd.json)
          --data-dir DIR     keep the warehouse and all state here (default: a fresh temp dir)
          --report FILE      where to write the report (default ./report.json)
  serve   start the local stack and keep it running; the first stdout line is the stack's JSON description.
          POST <endpoint>/_lean-ops/drain waits until everything settled and answers with the report;
          POST <endpoint>/_lean-ops/faults {"firehose":{...},"s3":"down"|"up","dynamodb":"down"|"up"} injects faults
          --port N           port of the AWS endpoint (default: any free port)
          --data-dir DIR     state directory (default: a fresh temp dir)

Common
${PLAN_SOURCE_USAGE}
  --help, -h         this text`;

export type CliCommand =
  | { command: 'run'; config?: string; dataDir?: string; report?: string; envFile?: string; stackFile?: string }
  | { command: 'serve'; port?: number; dataDir?: string; envFile?: string; stackFile?: string }
  | { command: 'help' };

export type ParsedArgs = { ok: true; cmd: CliCommand } | { ok: false; error: string };

/** Parses `run` / `serve` and their flags; unknown flags and bad values are errors, never ignored. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, cmd: { command: 'help' } };
  if (command !== 'run' && command !== 'serve') return { ok: false, error: `unknown command "${command}" (use run or serve)` };
  const text = { type: 'string' } as const;
  const options: ParseArgsConfig['options'] = {
    'data-dir': text,
    'env-file': text,
    env: text,
    stack: text,
    help: { type: 'boolean', short: 'h' },
    ...(command === 'run' ? { config: text, report: text } : { port: text }),
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (values.help) return { ok: true, cmd: { command: 'help' } };
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const plan = planSourceOf({ env: str('env'), envFile: str('env-file'), stack: str('stack') });
  if (!plan.ok) return plan;
  const common = { ...(str('data-dir') ? { dataDir: str('data-dir') } : {}), ...plan.source };
  if (command === 'run') {
    return { ok: true, cmd: { command: 'run', ...common, ...(str('config') ? { config: str('config') } : {}), ...(str('report') ? { report: str('report') } : {}) } };
  }
  const portText = str('port');
  if (portText !== undefined) {
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) return { ok: false, error: `--port must be an integer 0..65535, got "${portText}"` };
    return { ok: true, cmd: { command: 'serve', ...common, port } };
  }
  return { ok: true, cmd: { command: 'serve', ...common } };
}
