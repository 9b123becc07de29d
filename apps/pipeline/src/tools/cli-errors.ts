import { ConfigError } from '@lean-ops/config';
import { ToolError } from './offline-checks';

/** Print a command-line tool's failure the way a user can act on it, and exit non-zero. */
export function exitOnError(e: unknown): never {
  if (e instanceof ConfigError) {
    for (const line of e.problems) process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  if (e instanceof ToolError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
