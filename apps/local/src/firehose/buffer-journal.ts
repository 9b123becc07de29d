import * as fs from 'node:fs';
import * as path from 'node:path';
import { addRanges, toRanges } from './seq-ranges';

/** A record Firehose acknowledged: from then on it must reach the table or the error output, exactly once. */
export interface JournalRecord {
  seq: number;
  arrival: number;
  data: Buffer;
}

/** A commit that was about to happen: `snapshotsBefore` tells after a crash whether it did. */
export interface CommitIntent {
  id: number;
  seqs: Array<[number, number]>;
  snapshotsBefore: number;
  rows: number;
}

type ProgressLine = { intent: CommitIntent } | { done: number } | { abandoned: number } | { errors: Array<[number, number]> };

export interface JournalReplay {
  /** Acknowledged records neither committed nor written to the error output (seq order). */
  pending: JournalRecord[];
  /** Commits started but not confirmed: the caller checks the table and calls confirm() or abandon(). */
  openIntents: CommitIntent[];
}

/**
 * The stand-in's buffer on disk, so that an acknowledged record survives a SIGKILL: `journal.log` holds every
 * accepted record (one line per call, written before PutRecordBatch answers), `progress.log` what became of them
 * (commit intents and confirmations, error-output writes). Writes are synchronous; the OS keeps them when the
 * process dies. A torn last line was never acknowledged and is dropped on replay.
 */
export class BufferJournal {
  private journalFd: number;
  private progressFd: number;
  private nextSeq: number;
  private nextIntent: number;
  private journalBytes = 0;

  private constructor(private readonly dir: string, nextSeq: number, nextIntent: number) {
    this.nextSeq = nextSeq;
    this.nextIntent = nextIntent;
    this.journalFd = fs.openSync(this.journalFile, 'a');
    this.progressFd = fs.openSync(this.progressFile, 'a');
    this.journalBytes = fs.fstatSync(this.journalFd).size;
  }

  private get journalFile() {
    return path.join(this.dir, 'journal.log');
  }
  private get progressFile() {
    return path.join(this.dir, 'progress.log');
  }

  /** Opens (or creates) the journal in `dir` and returns what still has to be delivered. */
  static open(dir: string): { journal: BufferJournal; replay: JournalReplay } {
    fs.mkdirSync(dir, { recursive: true });
    const done = new Set<number>();
    const intents = new Map<number, CommitIntent>();
    let maxIntent = 0;
    for (const line of readLines(path.join(dir, 'progress.log'))) {
      const p = line as ProgressLine;
      if ('intent' in p) {
        intents.set(p.intent.id, p.intent);
        maxIntent = Math.max(maxIntent, p.intent.id);
      } else if ('done' in p) {
        const i = intents.get(p.done);
        if (i) addRanges(done, i.seqs);
        intents.delete(p.done);
      } else if ('abandoned' in p) intents.delete(p.abandoned);
      else if ('errors' in p) addRanges(done, p.errors);
    }
    let nextSeq = 0;
    const pending: JournalRecord[] = [];
    for (const line of readLines(path.join(dir, 'journal.log'))) {
      const l = line as { next?: number; s?: number; t?: number; d?: string[] };
      if (typeof l.next === 'number') nextSeq = Math.max(nextSeq, l.next);
      if (typeof l.s !== 'number' || !Array.isArray(l.d)) continue;
      l.d.forEach((b64, i) => {
        const seq = l.s! + i;
        nextSeq = Math.max(nextSeq, seq + 1);
        if (!done.has(seq)) pending.push({ seq, arrival: l.t ?? Date.now(), data: Buffer.from(b64, 'base64') });
      });
    }
    const openIntents = [...intents.values()];
    // Rewrite both files now: drops torn lines and everything already delivered.
    rewrite(path.join(dir, 'journal.log'), journalText(nextSeq, pending));
    rewrite(path.join(dir, 'progress.log'), openIntents.map((intent) => JSON.stringify({ intent }) + '\n').join(''));
    return { journal: new BufferJournal(dir, nextSeq, maxIntent + 1), replay: { pending, openIntents } };
  }

  /** Appends one call's records (synchronously, before the caller acknowledges them); returns their seqs. */
  append(arrival: number, records: Buffer[]): JournalRecord[] {
    const first = this.nextSeq;
    this.nextSeq += records.length;
    const line = JSON.stringify({ s: first, t: arrival, d: records.map((r) => r.toString('base64')) }) + '\n';
    fs.writeSync(this.journalFd, line);
    this.journalBytes += line.length;
    return records.map((data, i) => ({ seq: first + i, arrival, data }));
  }

  beginCommit(seqs: number[], snapshotsBefore: number): CommitIntent {
    const intent: CommitIntent = { id: this.nextIntent++, seqs: toRanges(seqs), snapshotsBefore, rows: seqs.length };
    this.writeProgress({ intent });
    return intent;
  }

  confirm(intentId: number): void {
    this.writeProgress({ done: intentId });
  }

  abandon(intentId: number): void {
    this.writeProgress({ abandoned: intentId });
  }

  errorsWritten(seqs: number[]): void {
    this.writeProgress({ errors: toRanges(seqs) });
  }

  /** Starts both files afresh when nothing is pending (keeps them from growing without bound). */
  truncateIfIdle(pendingCount: number, minBytes = 0): void {
    if (pendingCount > 0 || this.journalBytes <= minBytes) return;
    fs.closeSync(this.journalFd);
    fs.closeSync(this.progressFd);
    rewrite(this.journalFile, journalText(this.nextSeq, []));
    rewrite(this.progressFile, '');
    this.journalFd = fs.openSync(this.journalFile, 'a');
    this.progressFd = fs.openSync(this.progressFile, 'a');
    this.journalBytes = fs.fstatSync(this.journalFd).size;
  }

  close(): void {
    fs.closeSync(this.journalFd);
    fs.closeSync(this.progressFd);
  }

  private writeProgress(p: ProgressLine): void {
    fs.writeSync(this.progressFd, JSON.stringify(p) + '\n');
  }
}

function journalText(nextSeq: number, pending: JournalRecord[]): string {
  let out = JSON.stringify({ next: nextSeq }) + '\n';
  for (const r of pending) out += JSON.stringify({ s: r.seq, t: r.arrival, d: [r.data.toString('base64')] }) + '\n';
  return out;
}

/** Replace via rename: a crash leaves either the old or the new file, never half of one. */
function rewrite(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function* readLines(file: string): Generator<unknown> {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      yield JSON.parse(line);
    } catch {
      // torn last line: that call was never acknowledged
    }
  }
}
