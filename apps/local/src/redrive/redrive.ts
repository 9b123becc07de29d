import type { RedriveArgs } from './args';
import { pauseDlqConsumers } from './pause-dlq-consumers';
import { redriveAll, redriveDlqTopic } from './redrive-dlq';
import { replayArchive, type RedriveSummary } from './replay-archive';
import type { RedriveTargets } from './targets';

/** Runs the redrive the arguments ask for; a DLQ move pauses the DLQ processor unless told not to. */
export async function runRedrive(t: RedriveTargets, args: RedriveArgs, log: (line: string) => void = () => undefined, now?: () => Date): Promise<RedriveSummary> {
  if (args.source === 'archive') return replayArchive(t, { topic: args.topic!, since: args.since, until: args.until, dryRun: args.dryRun, log, ...(now ? { now } : {}) });
  const resume = args.dryRun || args.keepDlqProcessor ? undefined : await pauseDlqConsumers(t, log);
  try {
    if (args.all) return await redriveAll(t, { dryRun: args.dryRun, log });
    return await redriveDlqTopic(t, { topic: args.topic!, since: args.since, until: args.until, dryRun: args.dryRun, log, ...(now ? { now } : {}) });
  } finally {
    await resume?.();
  }
}

export type { RedriveSummary };
