import * as path from 'node:path';
import { AppendLog, parseJsonLines } from '../storage/append-log';
import type { MessageAttributes } from './message-md5';

/** A message as the journal keeps it (short keys: the journal holds every body). */
export interface JournalMessage {
  i: string; // MessageId
  b: string; // body
  t: number; // SentTimestamp
  s: string; // SenderId
  e: number; // enqueued on this queue (moves reset it: ApproximateAgeOfOldestMessage counts from the move)
  c: number; // receive count
  f?: number; // first receive timestamp
  d?: number; // delayed until
  q?: string; // DeadLetterQueueSourceArn
  a?: MessageAttributes;
  y?: Record<string, string>; // system attributes sent with the message (AWSTraceHeader)
}

export type JournalRecord =
  | { o: 'q'; attrs: Record<string, string>; created: number; modified: number; tags?: Record<string, string> }
  | { o: 's'; m: JournalMessage }
  | { o: 'd'; i: string }
  | { o: 'r'; i: string; c: number; f: number }
  | { o: 'p' };

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

  /** Reads every record; a torn last line (killed mid-write) is ignored. */
  static read(file: string): JournalRecord[] {
    return parseJsonLines<JournalRecord>(AppendLog.readLines(file));
  }

  /** Records written since the last compaction. */
  get lines(): number {
    return this.log.lines;
  }

  append(rec: JournalRecord): void {
    this.log.append(JSON.stringify(rec));
  }

  get dirty(): boolean {
    return this.log.dirty;
  }

  flush(): void {
    this.log.flush();
  }

  /** Rewrites the journal as its live state. */
  compact(records: JournalRecord[]): void {
    this.log.rewrite(records.map((r) => JSON.stringify(r)));
  }

  close(): void {
    this.log.close();
  }

  remove(): void {
    this.log.remove();
  }
}
