import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { REPO_ROOT } from '../stack/repo-root';

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
  --env NAME         the environment to synthesize and run: environments/NAME.tfvars (default local)
  --env-file FILE    the same, by file
  --stack FILE       run this synthesized stack (cdk.tf.json) as it is; --env names its environment
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
  if (str('env') !== undefined && str('env-file') !== undefined) return { ok: false, error: '--env and --env-file name the same thing: give one' };
  const envName = str('env');
  if (envName !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(envName)) return { ok: false, error: `--env must be an environment name such as local or dev, got "${envName}"` };
  const envFile = envName !== undefined ? path.join(REPO_ROOT, 'environments', `${envName}.tfvars`) : str('env-file');
  const common = {
    ...(str('data-dir') ? { dataDir: str('data-dir') } : {}),
    ...(envFile ? { envFile } : {}),
    ...(str('stack') ? { stackFile: str('stack') } : {}),
  };
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
