import { ConfigError } from '@lean-ops/config';
import { REDRIVE_USAGE, RedriveUsageError, parseRedriveArgs } from './args';
import { runRedrive } from './redrive';
import { resolveTargets } from './targets';
import { REPO_ROOT } from '../stack/repo-root';

/** `npm run redrive -- --topic <t> ...`: progress lines on stderr, the summary as JSON on stdout. */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${REDRIVE_USAGE}\n`);
    return 0;
  }
  const args = parseRedriveArgs(argv);
  const targets = await resolveTargets(args, REPO_ROOT);
  try {
    const summary = await runRedrive(targets, args, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    targets.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof RedriveUsageError) process.stderr.write(`redrive: ${err.message}\n${REDRIVE_USAGE}\n`);
    else if (err instanceof ConfigError) for (const line of err.problems) process.stderr.write(`${line}\n`);
    else process.stderr.write(`redrive: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
