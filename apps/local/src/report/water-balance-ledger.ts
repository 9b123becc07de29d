import type { IdentityCheck } from './identity-check';
import type { Balance, TopicLedger } from './report-types';

/** Per-topic counts the collector read from each hop. */
export interface HopCounts {
  /** Messages sent (re-sends included). */
  sent: number;
  received: number;
  delivered: number;
  /** RAW rows of the topic. */
  rawRows: number;
  inFlight: number;
}

/**
 * The water balance per topic: every hop side by side. Where a message ended (RAW, quarantine, DLQ archive,
 * error output) is counted per sent identity, in one place only (the first found of that order), so the balance
 * adds up to what was sent even when at-least-once delivery left copies in two places; those are duplicates.
 */
export function topicLedgers(topics: readonly string[], hops: Readonly<Record<string, HopCounts>>, check: IdentityCheck): TopicLedger[] {
  const all = [...new Set([...topics, ...Object.keys(hops), ...Object.keys(check.perTopic)])];
  return all.map((topic) => {
    const h = hops[topic];
    const c = check.perTopic[topic];
    return {
      topic,
      sent: h?.sent ?? 0,
      sentDistinct: c?.sentDistinct ?? 0,
      received: h?.received ?? 0,
      delivered: h?.delivered ?? 0,
      addedToTable: h?.rawRows ?? 0,
      rawDistinct: c?.rawDistinct ?? 0,
      quarantined: c?.quarantine ?? 0,
      dlqArchived: c?.dlq ?? 0,
      errorOutput: c?.errors ?? 0,
      inFlight: h?.inFlight ?? 0,
      lost: c?.lost ?? 0,
      duplicates: c?.duplicates ?? 0,
    };
  });
}

/**
 * sent (distinct identities) = RAW distinct + quarantined + DLQ-archived + error output + in flight, with lost = 0.
 * `extraInFlight` is what no topic owns (the DLQ, Firehose buffers).
 */
export function balanceOf(ledger: readonly TopicLedger[], check: IdentityCheck, extraInFlight: number): Balance {
  const sum = (k: keyof Omit<TopicLedger, 'topic'>) => ledger.reduce((n, t) => n + t[k], 0);
  const b = {
    sent: sum('sent'),
    sentDistinct: sum('sentDistinct'),
    rawRows: sum('addedToTable'),
    rawDistinct: sum('rawDistinct'),
    quarantined: sum('quarantined'),
    dlqArchived: sum('dlqArchived'),
    errorOutput: sum('errorOutput'),
    inFlight: sum('inFlight') + extraInFlight,
    lost: check.lost.length,
    duplicates: new Set([...check.rawDuplicates, ...check.crossLocation, ...check.sentMoreThanOnce]).size,
  };
  const accounted = b.rawDistinct + b.quarantined + b.dlqArchived + b.errorOutput + b.inFlight;
  return { ...b, holds: b.lost === 0 && b.sentDistinct === accounted };
}
