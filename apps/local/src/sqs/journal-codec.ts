import type { MessageAttributes } from './message-md5';
import type { JournalEntry, StoredMessage } from './stored-message';

/**
 * The on-disk form of a journal line. Keys are short because every body passes through the journal; this file is
 * the only place that knows them, and it reads data dirs written before the live model got descriptive names.
 */
interface DiskMessage {
  i: string; // messageId
  b: string; // body
  t: number; // sentTimestamp
  s: string; // senderId
  e: number; // enqueuedAt
  c: number; // receiveCount
  f?: number; // firstReceiveTimestamp
  d?: number; // delayedUntil
  q?: string; // deadLetterQueueSourceArn
  a?: MessageAttributes;
  y?: Record<string, string>; // systemAttributes
}

type DiskRecord =
  | { o: 'q'; attrs: Record<string, string>; created: number; modified: number; tags?: Record<string, string> }
  | { o: 's'; m: DiskMessage }
  | { o: 'd'; i: string }
  | { o: 'r'; i: string; c: number; f: number }
  | { o: 'p' };

function encodeMessage(m: StoredMessage): DiskMessage {
  // JSON.stringify leaves out the undefined optional keys
  return {
    i: m.messageId,
    b: m.body,
    t: m.sentTimestamp,
    s: m.senderId,
    e: m.enqueuedAt,
    c: m.receiveCount,
    f: m.firstReceiveTimestamp,
    d: m.delayedUntil,
    q: m.deadLetterQueueSourceArn,
    a: m.messageAttributes,
    y: m.systemAttributes,
  };
}

function decodeMessage(m: DiskMessage): StoredMessage {
  return {
    messageId: m.i,
    body: m.b,
    sentTimestamp: m.t,
    senderId: m.s,
    enqueuedAt: m.e,
    receiveCount: m.c,
    firstReceiveTimestamp: m.f,
    delayedUntil: m.d,
    deadLetterQueueSourceArn: m.q,
    messageAttributes: m.a,
    systemAttributes: m.y,
  };
}

/** One journal line (without its newline). */
export function encodeEntry(entry: JournalEntry): string {
  const rec: DiskRecord =
    entry.kind === 'queue'
      ? { o: 'q', attrs: entry.attributes, created: entry.created, modified: entry.modified, tags: entry.tags }
      : entry.kind === 'sent'
        ? { o: 's', m: encodeMessage(entry.message) }
        : entry.kind === 'deleted'
          ? { o: 'd', i: entry.messageId }
          : entry.kind === 'received'
            ? { o: 'r', i: entry.messageId, c: entry.receiveCount, f: entry.firstReceiveTimestamp }
            : { o: 'p' };
  return JSON.stringify(rec);
}

/** The entry a parsed journal line holds; undefined for a line of no known kind. */
export function decodeEntry(parsed: unknown): JournalEntry | undefined {
  const rec = parsed as DiskRecord | null;
  switch (rec?.o) {
    case 'q':
      return { kind: 'queue', attributes: rec.attrs, created: rec.created, modified: rec.modified, tags: rec.tags ?? {} };
    case 's':
      return { kind: 'sent', message: decodeMessage(rec.m) };
    case 'd':
      return { kind: 'deleted', messageId: rec.i };
    case 'r':
      return { kind: 'received', messageId: rec.i, receiveCount: rec.c, firstReceiveTimestamp: rec.f };
    case 'p':
      return { kind: 'purged' };
    default:
      return undefined;
  }
}
