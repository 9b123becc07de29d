import * as path from 'node:path';
import { AppendLog } from '../storage/append-log';

/**
 * The processor's `DROPPING` log lines counted per reason, appended to the data dir so a restarted stack still
 * knows what was logged before (CloudWatch Logs keeps them across deployments too).
 */
export class DropCounter {
  private readonly counts = new Map<string, number>();
  private log: AppendLog | undefined;

  constructor(file?: string) {
    if (!file) return;
    const { log, lines } = AppendLog.open(file);
    for (const reason of lines) this.bump(reason);
    this.log = log;
  }

  static forDataDir(dataDir: string): DropCounter {
    return new DropCounter(path.join(dataDir, 'dropping.log'));
  }

  /** Counts one log line if it is the processor's DROPPING line (JSON, `"message":"DROPPING"`). */
  ingest(line: string): void {
    if (!line.includes('"DROPPING"')) return;
    let doc: { message?: unknown; reason?: unknown };
    try {
      doc = JSON.parse(line.slice(line.indexOf('{'))) as typeof doc;
    } catch {
      return;
    }
    if (doc.message !== 'DROPPING') return;
    const reason = typeof doc.reason === 'string' && /^[A-Z_]+$/.test(doc.reason) ? doc.reason : 'UNKNOWN';
    this.bump(reason);
    this.log?.write(reason);
  }

  byReason(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  close(): void {
    this.log?.close();
    this.log = undefined;
  }

  private bump(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
}
