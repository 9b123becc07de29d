import type { IdentityCheck } from './identity-check';
import type { DuplicateSummary } from './report-types';

/** The report's duplicates: counts by kind and the first `limit` identities with where each was found. */
export function duplicateSummary(
  check: IdentityCheck,
  sentCount: (identity: string) => number,
  limit: number,
  causes: { byCause: Record<string, number>; requeuedCopies: number } = { byCause: {}, requeuedCopies: 0 },
): DuplicateSummary {
  const all = [...new Set([...check.crossLocation, ...check.rawDuplicates, ...check.sentMoreThanOnce])];
  const first = all.slice(0, limit);
  return {
    rawDuplicates: check.rawDuplicates.length,
    crossLocation: check.crossLocation.length,
    crossBreakdown: Object.fromEntries(Object.entries(check.crossBreakdown).map(([k, ids]) => [k, ids.length])),
    sentMoreThanOnce: check.sentMoreThanOnce.length,
    total: all.length,
    first,
    firstFound: first.map((identity) => ({
      identity,
      found: check.places.get(identity) ?? [],
      countedIn: check.assigned.get(identity) ?? 'nowhere',
      sent: sentCount(identity),
    })),
    byCause: causes.byCause,
    requeuedCopies: causes.requeuedCopies,
  };
}
