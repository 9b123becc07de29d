import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The processor's `DROPPING` log lines counted per reason, appended to the data dir so a restarted stack still
 * knows what was logged before (CloudWatch Logs keeps them across deployments too).
 */
export class DropCounter {
  private readonly counts = new Map<string, number>();
  private fd: number | undefined;

  constructor(file?: string) {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      for (const reason of text.slice(0, end).split('\n')) if (reason) this.bump(reason);
      if (end < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end), 'utf8'));
    }
    this.fd = fs.openSync(file, 'a');
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
    if (this.fd !== undefined) fs.writeSync(this.fd, `${reason}\n`);
  }

  byReason(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private bump(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
}
