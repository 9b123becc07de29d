import type { IdentityCheck } from './identity-check';

/** Why an identity was delivered more than once. */
export const DUPLICATE_CAUSES = ['producer_resend', 'timeout', 'crash', 'requeue', 'other'] as const;
export type DuplicateCause = (typeof DUPLICATE_CAUSES)[number];

export interface SentCopies {
  count: number;
  sqsMessageIds: string[];
}

/**
 * The sent ledger counts every message a topic queue accepted, crash isolation's re-queued copies included; a copy
 * is the processor's own re-send, not the producer's. Returns the ledger with copies taken out of each count (its
 * SQS ids stay, so records filed under a copy's id still resolve to the identity).
 */
export function withoutRequeueCopies<T extends SentCopies>(sent: ReadonlyMap<string, T>, copies: ReadonlySet<string>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [identity, s] of sent) {
    const own = s.sqsMessageIds.filter((id) => !copies.has(id)).length;
    out.set(identity, own === s.count ? s : { ...s, count: Math.max(1, own) });
  }
  return out;
}

/**
 * One cause per duplicate identity, the first that applies: the producer sent it more than once; an invocation
 * holding it timed out; one crashed; crash isolation re-queued it; else another at-least-once path (e.g. a Firehose
 * call abandoned at the hard stop that had landed).
 */
export function duplicateCause(identity: string, sent: ReadonlyMap<string, SentCopies>, copies: ReadonlySet<string>, failedHolders: ReadonlyMap<string, 'crash' | 'timeout'>): DuplicateCause {
  const s = sent.get(identity);
  if (!s) return 'other';
  if (s.count > 1) return 'producer_resend';
  const ends = s.sqsMessageIds.map((id) => failedHolders.get(id));
  if (ends.includes('timeout')) return 'timeout';
  if (ends.includes('crash')) return 'crash';
  if (s.sqsMessageIds.some((id) => copies.has(id))) return 'requeue';
  return 'other';
}

export function duplicatesByCause(
  check: Pick<IdentityCheck, 'crossLocation' | 'rawDuplicates' | 'sentMoreThanOnce'>,
  sent: ReadonlyMap<string, SentCopies>,
  copies: ReadonlySet<string>,
  failedHolders: ReadonlyMap<string, 'crash' | 'timeout'>,
): Record<DuplicateCause, number> {
  const out = Object.fromEntries(DUPLICATE_CAUSES.map((c) => [c, 0])) as Record<DuplicateCause, number>;
  for (const identity of new Set([...check.crossLocation, ...check.rawDuplicates, ...check.sentMoreThanOnce])) {
    out[duplicateCause(identity, sent, copies, failedHolders)]++;
  }
  return out;
}
