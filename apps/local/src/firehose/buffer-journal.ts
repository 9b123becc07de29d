import * as path from 'node:path';
import { AppendLog, parseJsonLines } from '../storage/append-log';
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
  private constructor(
    private readonly recordLog: AppendLog,
    private readonly progressLog: AppendLog,
    private nextSeq: number,
    private nextIntent: number,
  ) {}

  /** Opens (or creates) the journal in `dir` and returns what still has to be delivered. */
  static open(dir: string): { journal: BufferJournal; replay: JournalReplay } {
    const records = AppendLog.open(path.join(dir, 'journal.log'));
    const progress = AppendLog.open(path.join(dir, 'progress.log'));
    const done = new Set<number>();
    const intents = new Map<number, CommitIntent>();
    let maxIntent = 0;
    for (const p of parseJsonLines<ProgressLine>(progress.lines)) {
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
    for (const l of parseJsonLines<{ next?: number; s?: number; t?: number; d?: string[] }>(records.lines)) {
      if (typeof l.next === 'number') nextSeq = Math.max(nextSeq, l.next);
      if (typeof l.s !== 'number' || !Array.isArray(l.d)) continue;
      l.d.forEach((b64, i) => {
        const seq = l.s! + i;
        nextSeq = Math.max(nextSeq, seq + 1);
        if (!done.has(seq)) pending.push({ seq, arrival: l.t ?? Date.now(), data: Buffer.from(b64, 'base64') });
      });
    }
    const openIntents = [...intents.values()];
    // Rewrite both files now: drops everything already delivered.
    records.log.rewrite(journalLines(nextSeq, pending));
    progress.log.rewrite(openIntents.map((intent) => JSON.stringify({ intent })));
    return { journal: new BufferJournal(records.log, progress.log, nextSeq, maxIntent + 1), replay: { pending, openIntents } };
  }

  /** Appends one call's records (synchronously, before the caller acknowledges them); returns their seqs. */
  append(arrival: number, records: Buffer[]): JournalRecord[] {
    const first = this.nextSeq;
    this.nextSeq += records.length;
    this.recordLog.write(JSON.stringify({ s: first, t: arrival, d: records.map((r) => r.toString('base64')) }));
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
    if (pendingCount > 0 || this.recordLog.bytes <= minBytes) return;
    this.recordLog.rewrite(journalLines(this.nextSeq, []));
    this.progressLog.rewrite([]);
  }

  close(): void {
    this.recordLog.close();
    this.progressLog.close();
  }

  private writeProgress(p: ProgressLine): void {
    this.progressLog.write(JSON.stringify(p));
  }
}

function journalLines(nextSeq: number, pending: JournalRecord[]): string[] {
  return [JSON.stringify({ next: nextSeq }), ...pending.map((r) => JSON.stringify({ s: r.seq, t: r.arrival, d: [r.data.toString('base64')] }))];
}
