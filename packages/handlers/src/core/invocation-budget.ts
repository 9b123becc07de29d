/**
 * The invocation's time, so the processor never times out: a timeout returns the whole batch (records already
 * delivered come back as duplicates) and kills the environment. Work is started only while the time left covers
 * its measured cost, with a safety factor, plus a fixed reserve for the response (markers, pacing, checkpoint).
 */
export interface BudgetOptions {
  /** Kept for what follows the work: outcome markers, visibility changes, checkpoint, the response. */
  reserveMs: number;
  /** Measured costs are multiplied by this before they are compared with the time left (load varies). */
  safetyFactor: number;
  /** Cost assumed per record before anything was measured. */
  initialPerRecordMs: number;
}

/**
 * AWS documents no PutRecordBatch latency. 0.5 ms per record is the slow end of 500-record calls measured against
 * the local stand-in (29-259 ms per call); the first real call replaces it. Assuming more defers the tail of every
 * full first batch: 1,000 records x 2 ms x 2 is all of a 5 s invocation's spendable time.
 */
export const DEFAULT_BUDGET: BudgetOptions = { reserveMs: 1000, safetyFactor: 2, initialPerRecordMs: 0.5 };

export class InvocationBudget {
  private perRecordMs: number;
  constructor(
    private readonly remainingMs: () => number,
    private readonly opts: BudgetOptions = DEFAULT_BUDGET,
  ) {
    this.perRecordMs = opts.initialPerRecordMs;
  }

  /** Time left in the invocation. */
  remaining(): number {
    return this.remainingMs();
  }

  /** Time left before the reserve. */
  spendableMs(): number {
    return this.remainingMs() - this.opts.reserveMs;
  }

  /** May work on `records` records start now? */
  canStart(records: number): boolean {
    return this.spendableMs() > records * this.perRecordMs * this.opts.safetyFactor;
  }

  /** Records `ms` spent on `records` records; the estimate follows the slowest recent cost (a loaded machine). */
  observe(records: number, ms: number): void {
    if (records <= 0 || !(ms >= 0)) return;
    const cost = ms / records;
    this.perRecordMs = Math.max(cost, (this.perRecordMs + cost) / 2);
  }

  get estimatePerRecordMs(): number {
    return this.perRecordMs;
  }

  /** Milliseconds until in-flight calls must be abandoned so the response still goes out (half the reserve). */
  hardStopInMs(): number {
    return Math.max(0, this.remainingMs() - this.opts.reserveMs / 2);
  }
}
