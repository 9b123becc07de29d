import * as path from 'node:path';
import { AppendLog, parseJsonLines } from '../storage/append-log';
import { decodeEntry, encodeEntry } from './journal-codec';
import type { JournalEntry } from './stored-message';

/**
 * Append-only journal of one queue. Records are written with a synchronous write before the caller
 * answers, so an acknowledged send survives a SIGKILL of the process (the page cache keeps it).
 */
export class QueueJournal {
  private readonly log: AppendLog;

  constructor(readonly file: string) {
    this.log = AppendLog.open(file).log;
  }

  static fileFor(dir: string, queueName: string): string {
    return path.join(dir, `${queueName}.jsonl`);
  }

  /** Reads every entry; a torn last line (killed mid-write) is ignored. */
  static read(file: string): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const parsed of parseJsonLines<unknown>(AppendLog.readLines(file))) {
      const entry = decodeEntry(parsed);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Records written since the last compaction. */
  get lines(): number {
    return this.log.lines;
  }

  append(entry: JournalEntry): void {
    this.log.append(encodeEntry(entry));
  }

  get dirty(): boolean {
    return this.log.dirty;
  }

  flush(): void {
    this.log.flush();
  }

  /** Rewrites the journal as its live state. */
  compact(entries: JournalEntry[]): void {
    this.log.rewrite(entries.map(encodeEntry));
  }

  close(): void {
    this.log.close();
  }

  remove(): void {
    this.log.remove();
  }
}
