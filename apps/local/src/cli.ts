import { USAGE, parseCliArgs } from './cli/args';
import { runCommand } from './cli/run-command';
import { serveCommand } from './cli/serve-command';

/** `npm run local -- run|serve`: the local stack from a terminal. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`local: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const cmd = parsed.cmd;
  if (cmd.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const io = { stdout: process.stdout, stderr: process.stderr };
  if (cmd.command === 'run') return runCommand(cmd, io);
  const served = await serveCommand(cmd, io);
  return typeof served === 'number' ? served : served.stopped;
}

if (require.main === module) {
  // The SDK's notice that it will require Node 22 would otherwise open every run's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`local: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
