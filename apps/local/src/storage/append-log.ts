import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * An append-only file of lines: the one durable form of every local journal (queues, the Firehose buffer, faults,
 * the sent ledger, the drop counter). Writes are synchronous (`writeSync`) so that a line on disk is something the
 * stack acknowledged, and the OS keeps it when the process is killed. A torn last line (killed mid-write) was never
 * acknowledged: `open` cuts it off before appending, so it cannot glue itself to the next line.
 */
export class AppendLog {
  private fd: number;
  private pending = '';
  private pendingLines = 0;
  /** Lines written since the file was opened empty or last rewritten. */
  lines = 0;
  bytes = 0;

  private constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Opens (or creates) the log; returns it with the complete lines it already held. */
  static open(file: string): { log: AppendLog; lines: string[] } {
    const lines = AppendLog.readLines(file);
    if (fs.existsSync(file)) {
      const whole = lines.reduce((n, l) => n + Buffer.byteLength(l, 'utf8') + 1, 0);
      if (fs.statSync(file).size > whole) fs.truncateSync(file, whole);
    }
    const log = new AppendLog(file);
    log.lines = lines.length;
    return { log, lines };
  }

  /** The complete (newline-terminated), non-empty lines of a log file; none if it does not exist. */
  static readLines(file: string): string[] {
    if (!fs.existsSync(file)) return [];
    const text = fs.readFileSync(file, 'utf8');
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((l) => l !== '');
  }

  /** Buffers a line (no newline in it) for the next flush. */
  append(line: string): void {
    this.pending += `${line}\n`;
    this.pendingLines++;
  }

  /** Appends and writes at once. */
  write(line: string): void {
    this.append(line);
    this.flush();
  }

  get dirty(): boolean {
    return this.pending !== '';
  }

  flush(): void {
    if (this.pending === '') return;
    const data = this.pending;
    this.lines += this.pendingLines;
    this.pending = '';
    this.pendingLines = 0;
    this.bytes += Buffer.byteLength(data, 'utf8');
    fs.writeSync(this.fd, data);
  }

  /** Replaces the whole file with `lines` (temp file, then rename: a crash leaves the old or the new one). */
  rewrite(lines: readonly string[]): void {
    this.flush();
    const text = lines.map((l) => `${l}\n`).join('');
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.lines = lines.length;
    this.bytes = Buffer.byteLength(text, 'utf8');
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  /** Closes and deletes the file; pending lines are dropped. */
  remove(): void {
    this.pending = '';
    this.pendingLines = 0;
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}

/** JSON lines of a log, skipping any that do not parse (only a torn line can, and it was never acknowledged). */
export function parseJsonLines<T>(lines: readonly string[]): T[] {
  const out: T[] = [];
  for (const line of lines) {
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // skipped
    }
  }
  return out;
}
