/** Where every sent message ended: pure bookkeeping over what the collector found. */

/**
 * Where a sent message can end, in precedence order: an identity found in several places is counted in the first
 * of them. A record that reached the table is delivered; its other copies come from at-least-once delivery (SQS
 * redelivers a batch whose invocation died after Firehose accepted it, until it moves to the DLQ).
 */
export const PLACES = ['raw', 'quarantine', 'dlq', 'errors'] as const;
export type Place = (typeof PLACES)[number];

/** The place an identity is counted in: the first of PLACES it was found in. */
export function assignPlace(found: readonly Place[]): Place | undefined {
  return PLACES.find((p) => found.includes(p));
}

/** `raw+dlq` for an identity found in RAW and in the DLQ archive: places in precedence order. */
export function placesKey(found: readonly Place[]): string {
  return PLACES.filter((p) => found.includes(p)).join('+');
}

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

/** Per topic of the sent identity: `rawDistinct`, `quarantine`, `dlq`, `errors` count assigned identities only. */
export interface TopicPlaces {
  sentDistinct: number;
  /** RAW rows of the topic's sent identities, duplicates included. */
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
  /** Identity -> the one place it is counted in (see PLACES); lost identities have none. */
  assigned: Map<string, Place>;
  lost: string[];
  rawDuplicates: string[];
  crossLocation: string[];
  /** crossLocation by the places found (`raw+dlq`, `raw+quarantine`, ...), identities in sent order. */
  crossBreakdown: Record<string, string[]>;
  sentMoreThanOnce: string[];
  /** Found records whose id matches no sent identity. */
  unexpected: Found[];
  /** The sent identity a record filed under `id` (producer id or SQS MessageId) belongs to. */
  resolve: (id: string) => string | undefined;
  perTopic: Record<string, TopicPlaces>;
}

const emptyTopic = (): TopicPlaces => ({ sentDistinct: 0, raw: 0, rawDistinct: 0, quarantine: 0, dlq: 0, errors: 0, lost: 0, duplicates: 0 });

/** Maps an id a record was filed under (producer id or SQS MessageId) to the sent identity, if any. */
export function identityResolver(sent: ReadonlyMap<string, SentIdentityLike>): (id: string) => string | undefined {
  const bySqsId = new Map<string, string>();
  for (const [identity, s] of sent) for (const id of s.sqsMessageIds) bySqsId.set(id, identity);
  return (id) => (sent.has(id) ? id : bySqsId.get(id));
}

/**
 * Every sent identity is assigned to exactly one place: RAW, quarantine, DLQ archive or error output, by PLACES'
 * precedence; one found in several places, with several RAW rows, or sent more than once is also a duplicate.
 * A record found under the SQS MessageId of a sent message counts for that message's identity (a handler files a
 * message by its SQS id when it cannot read a valid producer id). `redriven` identities were sent again from the
 * DLQ archive: their archive object and their re-send are not duplicates once they landed elsewhere.
 */
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

  const assigned = new Map<string, Place>();
  const crossBreakdown: Record<string, string[]> = {};
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
    const place = assignPlace(found);
    if (place === undefined) {
      lost.push(identity);
      t.lost++;
    } else {
      assigned.set(identity, place);
      if (place === 'raw') t.rawDistinct++;
      else if (place === 'quarantine') t.quarantine++;
      else if (place === 'dlq') t.dlq++;
      else t.errors++;
    }
    let duplicate = false;
    if (rawRows > 1) {
      rawDuplicates.push(identity);
      duplicate = true;
    }
    if (distinct.size > 1) {
      crossLocation.push(identity);
      (crossBreakdown[placesKey(found)] ??= []).push(identity);
      duplicate = true;
    }
    if (s.count > 1 && !wasRedriven) {
      sentMoreThanOnce.push(identity);
      duplicate = true;
    }
    if (duplicate) t.duplicates++;
  }
  return { places, assigned, lost, rawDuplicates, crossLocation, crossBreakdown, sentMoreThanOnce, unexpected, perTopic, resolve };
}
