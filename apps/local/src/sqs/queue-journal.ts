import * as fs from 'node:fs';
import * as path from 'node:path';
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
  private fd: number;
  private pending: string[] = [];
  /** Records written since the last compaction. */
  lines = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  static fileFor(dir: string, queueName: string): string {
    return path.join(dir, `${queueName}.jsonl`);
  }

  /** Reads every record; a torn last line (killed mid-write) is ignored. */
  static read(file: string): JournalRecord[] {
    const text = fs.readFileSync(file, 'utf8');
    const out: JournalRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as JournalRecord);
      } catch {
        // only the last line can be partial; anything after it was never acknowledged
      }
    }
    return out;
  }

  append(rec: JournalRecord): void {
    this.pending.push(JSON.stringify(rec));
  }

  get dirty(): boolean {
    return this.pending.length > 0;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending.join('\n') + '\n';
    this.lines += this.pending.length;
    this.pending = [];
    fs.writeSync(this.fd, data);
  }

  /** Rewrites the journal as its live state (write a temp file, then rename over the old one). */
  compact(records: JournalRecord[]): void {
    this.flush();
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.lines = records.length;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  remove(): void {
    this.pending = [];
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}
