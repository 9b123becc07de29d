/** Where every sent message ended: pure bookkeeping over what the collector found. */

export const PLACES = ['raw', 'quarantine', 'dlq', 'errors'] as const;
export type Place = (typeof PLACES)[number];

export interface SentIdentityLike {
  topic: string;
  count: number;
  sqsMessageIds: readonly string[];
}

/** One record found somewhere, under the id the pipeline filed it by (producer message_id, else SQS MessageId). */
export interface Found {
  topic: string;
  id: string;
}

export interface Findings {
  raw: readonly Found[];
  quarantine: readonly Found[];
  dlq: readonly Found[];
  errors: readonly Found[];
}

export interface TopicPlaces {
  sentDistinct: number;
  raw: number;
  rawDistinct: number;
  quarantine: number;
  dlq: number;
  errors: number;
  lost: number;
  duplicates: number;
}

export interface IdentityCheck {
  /** Identity -> places where it was found (a place repeats for each RAW row). */
  places: Map<string, Place[]>;
  lost: string[];
  rawDuplicates: string[];
  crossLocation: string[];
  sentMoreThanOnce: string[];
  /** Found records whose id matches no sent identity. */
  unexpected: Found[];
  perTopic: Record<string, TopicPlaces>;
}

const emptyTopic = (): TopicPlaces => ({ sentDistinct: 0, raw: 0, rawDistinct: 0, quarantine: 0, dlq: 0, errors: 0, lost: 0, duplicates: 0 });

/**
 * Every sent identity must be found in exactly one place: RAW, quarantine, DLQ archive or error output. A record
 * found under the SQS MessageId of a sent message counts for that message's identity (a handler files a message
 * by its SQS id when it cannot read a valid producer id). `redriven` identities were sent again from the DLQ
 * archive: their archive object and their re-send are not duplicates once they landed elsewhere.
 */
/** Maps an id a record was filed under (producer id or SQS MessageId) to the sent identity, if any. */
export function identityResolver(sent: ReadonlyMap<string, SentIdentityLike>): (id: string) => string | undefined {
  const bySqsId = new Map<string, string>();
  for (const [identity, s] of sent) for (const id of s.sqsMessageIds) bySqsId.set(id, identity);
  return (id) => (sent.has(id) ? id : bySqsId.get(id));
}

export function checkIdentities(sent: ReadonlyMap<string, SentIdentityLike>, findings: Findings, redriven: ReadonlySet<string> = new Set()): IdentityCheck {
  const resolve = identityResolver(sent);
  const places = new Map<string, Place[]>();
  const unexpected: Found[] = [];
  const perTopic: Record<string, TopicPlaces> = {};
  const topicOf = (t: string) => (perTopic[t] ??= emptyTopic());

  for (const place of PLACES) {
    for (const f of findings[place]) {
      const identity = resolve(f.id);
      if (identity === undefined) {
        unexpected.push(f);
        continue;
      }
      const list = places.get(identity) ?? [];
      list.push(place);
      places.set(identity, list);
    }
  }

  const lost: string[] = [];
  const rawDuplicates: string[] = [];
  const crossLocation: string[] = [];
  const sentMoreThanOnce: string[] = [];
  for (const [identity, s] of sent) {
    const t = topicOf(s.topic);
    t.sentDistinct++;
    let found = places.get(identity) ?? [];
    // A message redriven from the DLQ archive (tracker status REDRIVEN) ends where its redrive took it.
    const wasRedriven = redriven.has(identity) && found.some((p) => p !== 'dlq');
    if (wasRedriven) found = found.filter((p) => p !== 'dlq');
    const distinct = new Set(found);
    const rawRows = found.filter((p) => p === 'raw').length;
    t.raw += rawRows;
    if (rawRows > 0) t.rawDistinct++;
    if (distinct.has('quarantine')) t.quarantine++;
    if (distinct.has('dlq')) t.dlq++;
    if (distinct.has('errors')) t.errors++;
    let duplicate = false;
    if (found.length === 0) {
      lost.push(identity);
      t.lost++;
    }
    if (rawRows > 1) {
      rawDuplicates.push(identity);
      duplicate = true;
    }
    if (distinct.size > 1) {
      crossLocation.push(identity);
      duplicate = true;
    }
    if (s.count > 1 && !wasRedriven) {
      sentMoreThanOnce.push(identity);
      duplicate = true;
    }
    if (duplicate) t.duplicates++;
  }
  return { places, lost, rawDuplicates, crossLocation, sentMoreThanOnce, unexpected, perTopic };
}
