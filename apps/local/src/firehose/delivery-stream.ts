import { join } from 'node:path';
import type { RawRow } from '@lean-ops/contracts';
import { appendRows, createTable, readTableState, type TableOperations, type TableRef } from '@lean-ops/iceberg';
import { BufferJournal, type JournalRecord } from './buffer-journal';
import { errorObjectKey, errorOutputBody, errorOutputRecord } from './error-output';
import { judgeRecord, type RecordVerdict } from './record-rules';

/** Delivery metrics Firehose publishes for an Iceberg destination (namespace AWS/Firehose). */
export interface DeliveryMetrics {
  IncomingRowCount: number;
  SuccessfulRowCount: number;
  FailedRowCount: number;
}

export interface DeliveryStreamOptions {
  streamName: string;
  /** Table directory of a file-system table (`<dataDir>/warehouse/<database>/<table>/`), unless `tableOperations` is given. */
  tableLocation: string;
  /** The table in its catalog (Glue, files in S3), made when the stream opens: the endpoints it calls are up by then. */
  tableOperations?: () => TableOperations;
  /** Journal directory, e.g. `<dataDir>/firehose/<stream>/`. */
  journalDir: string;
  bufferSizeMb: number;
  bufferIntervalSeconds: number;
  /** How long a record that does not fit is retried before it goes to the error output. */
  retryDurationSeconds: number;
  /** Evaluated like Firehose's ErrorOutputPrefix (contracts: FIREHOSE_ERROR_OUTPUT_PREFIX). */
  errorOutputPrefix: string;
  /** Writes one error-output object into the archive bucket (S3 PutObject). */
  writeErrorObject: (key: string, body: string) => Promise<void>;
  /** Called after each commit to the table. */
  onCommit?: () => void;
  /** Called with each metric increment (emitted to the CloudWatch stand-in). */
  onMetric?: (name: keyof DeliveryMetrics, value: number) => void;
  onError?: (err: unknown) => void;
  /** Tick of the buffer timer (ms). */
  tickMs?: number;
  now?: () => number;
}

interface Buffered extends JournalRecord {
  verdict: RecordVerdict;
  attempts: number;
  /** Why the last commit holding this record failed (the table's catalog or storage refused it). */
  deliveryError?: { errorCode: string; errorMessage: string };
}

/** Wait between commit attempts after one failed (the Firehose docs give no interval: one second is chosen). */
const COMMIT_RETRY_MS = 1000;

/**
 * The error-output code of a commit the catalog or storage refused. The Firehose docs name no code for these
 * (only per-record ones): the code names the error Glue or S3 returned, e.g. `Iceberg.AccessDeniedException`.
 */
const deliveryErrorOf = (err: unknown) => ({ errorCode: `Iceberg.${(err as Error)?.name ?? 'Error'}`, errorMessage: (err as Error)?.message ?? String(err) });

export interface CommitInfo {
  snapshotId: string;
  rows: number;
  at: number;
}

/**
 * One delivery stream into the RAW Iceberg table. Records are journaled before they are acknowledged, buffered
 * until `bufferSizeMb` or `bufferIntervalSeconds` (whichever first), then committed as ONE Iceberg snapshot per
 * flush. Records that do not fit the table are retried until `retryDurationSeconds` after arrival, then written
 * to the error output and counted in FailedRowCount. After a crash, open() replays the journal: records whose
 * commit landed are not committed again (the commit intent records the snapshot count it started from).
 */
export class IcebergDeliveryStream {
  private journal!: BufferJournal;
  private table!: TableRef;
  private opened = false;
  private valid: Buffered[] = [];
  private validBytes = 0;
  private failing: Buffered[] = [];
  private readonly metrics: DeliveryMetrics = { IncomingRowCount: 0, SuccessfulRowCount: 0, FailedRowCount: 0 };
  private readonly commitLog: CommitInfo[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;
  private closed = false;
  private sizeFlushQueued = false;
  private retryCommitAt = 0;

  constructor(private readonly o: DeliveryStreamOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Creates the table if needed, replays the journal, starts the buffer timer. */
  async open(): Promise<void> {
    this.table = this.o.tableOperations?.() ?? this.o.tableLocation;
    await createTable(this.table);
    const { journal, replay } = BufferJournal.open(this.o.journalDir);
    this.journal = journal;
    this.opened = true;
    const committed = new Set<number>();
    for (const intent of replay.openIntents) {
      const state = await readTableState(this.table);
      const next = state.snapshots[intent.snapshotsBefore];
      if (next && next.addedRecords === intent.rows) {
        for (const [from, to] of intent.seqs) for (let s = from; s <= to; s++) committed.add(s);
        journal.confirm(intent.id);
      } else journal.abandon(intent.id);
    }
    for (const r of replay.pending) if (!committed.has(r.seq)) this.buffer(r);
    const tick = this.o.tickMs ?? 200;
    this.timer = setInterval(() => this.onTick(), tick);
    this.timer.unref();
  }

  /**
   * Accepts records: journaled synchronously, so they are durable when this returns. `parsed` may carry each
   * record's JSON value (already parsed by the caller) to save a second parse.
   */
  put(records: Array<{ data: Buffer; parsed?: { value: unknown } }>): JournalRecord[] {
    if (this.closed || !this.opened) throw new Error(`delivery stream ${this.o.streamName} is ${this.closed ? 'closed' : 'not open yet (call open())'}`);
    const arrival = this.now();
    const journaled = this.journal.append(
      arrival,
      records.map((r) => r.data),
    );
    journaled.forEach((r, i) => this.buffer(r, records[i]?.parsed));
    this.count('IncomingRowCount', records.length);
    if (this.validBytes >= this.o.bufferSizeMb * 1024 * 1024 && !this.sizeFlushQueued) {
      // One queued size-triggered commit takes everything buffered by the time it runs.
      this.sizeFlushQueued = true;
      this.schedule(() => {
        this.sizeFlushQueued = false;
        return this.commitBuffered(true);
      }).catch(() => undefined);
    }
    return journaled;
  }

  /** Commits what is buffered and writes the error output of records whose retry time is over. */
  flush(): Promise<void> {
    return this.schedule(async () => {
      try {
        await this.commitBuffered();
      } finally {
        await this.writeDueErrors(false);
      }
    });
  }

  /** Flushes everything, waiting out the retry duration of records that do not fit (for drain). */
  drain(): Promise<void> {
    return this.schedule(async () => {
      await this.commitBuffered();
      await this.writeDueErrors(true);
    });
  }

  /** Flushes (records still within their retry duration stay in the journal for the next start) and stops. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.closed) return;
    // A commit that fails now is reported through onError; its records stay in the journal for the next start.
    await this.flush().catch(() => undefined);
    this.closed = true;
    if (this.opened) this.journal.close();
  }

  stats(): DeliveryMetrics & { bufferedRows: number; failingRows: number; commits: number } {
    return { ...this.metrics, bufferedRows: this.valid.length, failingRows: this.failing.length, commits: this.commitLog.length };
  }

  commits(): CommitInfo[] {
    return [...this.commitLog];
  }

  private buffer(r: JournalRecord, parsed?: { value: unknown }): void {
    const b: Buffered = { ...r, verdict: judgeRecord(r.data, parsed), attempts: 0 };
    if (b.verdict.ok) {
      this.valid.push(b);
      this.validBytes += r.data.length;
    } else this.failing.push(b);
  }

  private onTick(): void {
    const now = this.now();
    const oldest = this.valid[0];
    const dueCommit = oldest !== undefined && now - oldest.arrival >= this.o.bufferIntervalSeconds * 1000;
    const dueErrors = this.failing.some((r) => now - r.arrival >= this.o.retryDurationSeconds * 1000);
    if (dueCommit || dueErrors) this.flush().catch(() => undefined);
  }

  private schedule(task: () => Promise<void>): Promise<void> {
    if (!this.opened) return Promise.resolve();
    const run = this.chain.then(task);
    this.chain = run.catch((err) => (this.o.onError ?? ((e) => process.stderr.write(`firehose ${this.o.streamName}: ${String(e)}\n`)))(err));
    return run;
  }

  /** Commits the buffer, one snapshot per buffer of at most `bufferSizeMb` (a size-triggered flush takes one). */
  private async commitBuffered(onlyFullBuffers = false): Promise<void> {
    if (this.now() < this.retryCommitAt) return;
    const limit = this.o.bufferSizeMb * 1024 * 1024;
    while (this.valid.length > 0 && (!onlyFullBuffers || this.validBytes >= limit)) {
      let bytes = 0;
      let n = 0;
      for (const r of this.valid) {
        if (n > 0 && bytes + r.data.length > limit) break;
        bytes += r.data.length;
        n++;
      }
      await this.commitFirst(n, bytes);
    }
    this.journal.truncateIfIdle(this.valid.length + this.failing.length, 8 * 1024 * 1024);
  }

  private async commitFirst(n: number, bytes: number): Promise<void> {
    const batch = this.valid.splice(0, n);
    this.validBytes -= bytes;
    try {
      const before = (await readTableState(this.table)).snapshots.length;
      const intent = this.journal.beginCommit(
        batch.map((r) => r.seq),
        before,
      );
      const result = await appendRows(
        this.table,
        batch.map((r) => (r.verdict as { row: RawRow }).row),
      );
      this.journal.confirm(intent.id);
      this.commitLog.push({ snapshotId: String(result.snapshotId), rows: batch.length, at: this.now() });
      this.count('SuccessfulRowCount', batch.length);
      this.o.onCommit?.();
    } catch (err) {
      // Nothing was committed (or the intent is checked on restart): keep the rows for the next flush.
      for (const r of batch) {
        r.attempts += 1;
        r.deliveryError = deliveryErrorOf(err);
      }
      this.valid = batch.concat(this.valid);
      this.validBytes += bytes;
      this.retryCommitAt = this.now() + COMMIT_RETRY_MS;
      this.expireUndelivered();
      throw err;
    }
  }

  /**
   * Records still undelivered when their retry duration is over go to the error output: "If the retry duration
   * ends before the data is delivered successfully, Firehose backs up the data to the configured S3 backup bucket"
   * (Firehose Developer Guide, "Troubleshoot errors in Amazon Data Firehose").
   */
  private expireUndelivered(): void {
    const retryMs = this.o.retryDurationSeconds * 1000;
    const now = this.now();
    const expired = this.valid.filter((r) => r.deliveryError && now - r.arrival >= retryMs);
    if (expired.length === 0) return;
    const gone = new Set(expired);
    this.valid = this.valid.filter((r) => !gone.has(r));
    for (const r of expired) {
      this.validBytes -= r.data.length;
      this.failing.push({ ...r, verdict: { ok: false, ...r.deliveryError! }, attempts: r.attempts - 1 });
    }
  }

  private async writeDueErrors(waitForAll: boolean): Promise<void> {
    if (this.failing.length === 0) return;
    const retryMs = this.o.retryDurationSeconds * 1000;
    if (waitForAll) {
      const last = Math.max(...this.failing.map((r) => r.arrival + retryMs));
      const wait = last - this.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const now = this.now();
    for (const r of this.failing) r.attempts += 1;
    const due = this.failing.filter((r) => now - r.arrival >= retryMs);
    if (due.length === 0) return;
    const oldest = due.reduce((a, b) => (a.arrival <= b.arrival ? a : b));
    const key = errorObjectKey({
      prefix: this.o.errorOutputPrefix,
      streamName: this.o.streamName,
      streamVersion: 1,
      oldestArrival: new Date(oldest.arrival),
      uniqueId: `${this.o.streamName}/${due.map((r) => r.seq).join(',')}`,
    });
    const body = errorOutputBody(
      due.map((r) => {
        const v = r.verdict as Extract<RecordVerdict, { ok: false }>;
        return errorOutputRecord({ attemptsMade: r.attempts, arrivalTimestamp: r.arrival, errorCode: v.errorCode, errorMessage: v.errorMessage, attemptEndingTimestamp: now, data: r.data });
      }),
    );
    await this.o.writeErrorObject(key, body);
    this.journal.errorsWritten(due.map((r) => r.seq));
    const dueSet = new Set(due);
    this.failing = this.failing.filter((r) => !dueSet.has(r));
    this.count('FailedRowCount', due.length);
    this.journal.truncateIfIdle(this.valid.length + this.failing.length, 8 * 1024 * 1024);
  }

  private count(name: keyof DeliveryMetrics, n: number): void {
    this.metrics[name] += n;
    this.o.onMetric?.(name, n);
  }
}

/** `<dataDir>/warehouse/<database>/<table>/` and `<dataDir>/firehose/<stream>/`. */
export const streamPaths = (dataDir: string, database: string, table: string, stream: string) => ({
  tableLocation: join(dataDir, 'warehouse', database, table),
  journalDir: join(dataDir, 'firehose', stream),
});
