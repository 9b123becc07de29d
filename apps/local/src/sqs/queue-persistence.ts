import * as fs from 'node:fs';
import * as path from 'node:path';
import { storedOf, type LiveQueue } from './live-queue';
import { QueueJournal } from './queue-journal';
import type { JournalEntry, StoredMessage } from './stored-message';

type QueueEntry = Extract<JournalEntry, { kind: 'queue' }>;

/** A queue as its journal left it: the latest attributes and the messages not deleted. */
export interface ReplayedQueue {
  name: string;
  meta: QueueEntry;
  messages: StoredMessage[];
  journal: QueueJournal;
}

/** The state a journal's entries add up to; undefined when the queue was never created in it. */
export function replay(entries: readonly JournalEntry[]): { meta: QueueEntry; messages: StoredMessage[] } | undefined {
  let meta: QueueEntry | undefined;
  const live = new Map<string, StoredMessage>();
  for (const e of entries) {
    if (e.kind === 'queue') meta = e;
    else if (e.kind === 'sent') live.set(e.message.messageId, e.message);
    else if (e.kind === 'deleted') live.delete(e.messageId);
    else if (e.kind === 'received') {
      const m = live.get(e.messageId);
      if (m) {
        m.receiveCount = e.receiveCount;
        m.firstReceiveTimestamp = e.firstReceiveTimestamp;
      }
    } else live.clear();
  }
  return meta && { meta, messages: [...live.values()] };
}

/** The queue's attributes as a journal entry (written on create, on every change and at the head of a compacted journal). */
export function queueEntry(q: LiveQueue): QueueEntry {
  return { kind: 'queue', attributes: q.attrs, created: q.created, modified: q.modified, tags: q.tags };
}

/**
 * Journals of every queue under `<dataDir>/sqs/`: one file per queue, written before a call answers, compacted to
 * the live state once it holds far more records than messages. Without a data dir nothing is written.
 */
export class QueuePersistence {
  private readonly dir?: string;
  private readonly dirty = new Set<QueueJournal>();

  constructor(dataDir: string | undefined) {
    if (!dataDir) return;
    this.dir = path.join(dataDir, 'sqs');
    fs.mkdirSync(this.dir, { recursive: true });
  }

  journalFor(queueName: string): QueueJournal | undefined {
    return this.dir ? new QueueJournal(QueueJournal.fileFor(this.dir, queueName)) : undefined;
  }

  log(q: LiveQueue, entry: JournalEntry): void {
    if (!q.journal) return;
    q.journal.append(entry);
    this.dirty.add(q.journal);
  }

  /** Writes what was logged; compacts a journal holding over 4 records a message (plus 10,000). */
  flush(queues: Iterable<LiveQueue>): void {
    for (const j of this.dirty) j.flush();
    this.dirty.clear();
    for (const q of queues) if (q.journal && q.journal.lines > 4 * q.messages.size + 10_000) this.compact(q);
  }

  /** Deletes the queue's journal with anything still pending for it. */
  forget(q: LiveQueue): void {
    if (!q.journal) return;
    this.dirty.delete(q.journal);
    q.journal.remove();
  }

  compact(q: LiveQueue): void {
    if (!q.journal) return;
    const entries: JournalEntry[] = [queueEntry(q)];
    for (const m of q.messages.values()) entries.push({ kind: 'sent', message: storedOf(m) });
    q.journal.compact(entries);
  }

  /** Every queue the data dir holds, by name; messages that were in flight come back as stored. */
  restore(): ReplayedQueue[] {
    const dir = this.dir;
    if (!dir) return [];
    const out: ReplayedQueue[] = [];
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    for (const file of files) {
      const state = replay(QueueJournal.read(path.join(dir, file)));
      if (!state) continue;
      out.push({ name: file.slice(0, -'.jsonl'.length), ...state, journal: new QueueJournal(path.join(dir, file)) });
    }
    return out;
  }
}
