import type { RedriveArgs } from './args';
import { redriveAll, redriveDlqTopic } from './redrive-dlq';
import { replayArchive, type RedriveSummary } from './replay-archive';
import type { RedriveTargets } from './targets';

/** Runs the redrive the arguments ask for. */
export function runRedrive(t: RedriveTargets, args: RedriveArgs, log?: (line: string) => void, now?: () => Date): Promise<RedriveSummary> {
  if (args.all) return redriveAll(t, { dryRun: args.dryRun, ...(log ? { log } : {}) });
  const o = { topic: args.topic!, since: args.since, until: args.until, dryRun: args.dryRun, ...(log ? { log } : {}), ...(now ? { now } : {}) };
  return args.source === 'dlq' ? redriveDlqTopic(t, o) : replayArchive(t, o);
}

export type { RedriveSummary };
