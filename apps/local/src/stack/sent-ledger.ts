import * as path from 'node:path';
import { messageIdentity } from '@lean-ops/contracts';
import { AppendLog } from '../storage/append-log';

export interface SentEntry {
  topic: string;
  identity: string;
  sqsMessageId: string;
  at: number;
}

export interface SentIdentity {
  topic: string;
  /** Times a message with this identity was accepted. */
  count: number;
  sqsMessageIds: string[];
  /** When it was last accepted (epoch ms). */
  lastAt: number;
}

/**
 * Every message a topic queue accepted, append-only under the data dir (one tab-separated line each), so a
 * restarted stack, and messages sent by another process, are accounted too.
 */
export class SentLedger {
  private readonly byIdentity = new Map<string, SentIdentity>();
  private readonly perTopic = new Map<string, number>();
  private log: AppendLog | undefined;
  private total = 0;
  private thisRun = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** First send accepted by this process (not replayed from the file): where this run's clock starts. */
  firstAtThisRun: number | undefined;

  constructor(file?: string) {
    if (!file) return;
    const { log, lines } = AppendLog.open(file);
    this.replay(lines);
    this.log = log;
  }

  static forDataDir(dataDir: string): SentLedger {
    return new SentLedger(path.join(dataDir, 'sent-ledger.tsv'));
  }

  record(topic: string, sqsMessageId: string, body: string, at = Date.now()): SentEntry {
    const entry: SentEntry = { topic, identity: messageIdentity(body, sqsMessageId), sqsMessageId, at };
    this.apply(entry);
    this.firstAtThisRun ??= at;
    this.thisRun++;
    if (this.log) {
      // One write per request, not per message: a microtask queued during the send runs before the answer is written.
      if (!this.log.dirty) queueMicrotask(() => this.flush());
      this.log.append(`${at}\t${topic}\t${sqsMessageId}\t${entry.identity}`);
    }
    return entry;
  }

  /** Writes the lines recorded so far (synchronously: a line on disk is a send the stack acknowledged). */
  flush(): void {
    this.log?.flush();
  }

  /** Messages accepted (re-sends included). */
  get sent(): number {
    return this.total;
  }

  /** Messages accepted by this process (a restarted stack starts again at 0). */
  get sentThisRun(): number {
    return this.thisRun;
  }

  sentByTopic(): Record<string, number> {
    return Object.fromEntries(this.perTopic);
  }

  identities(): ReadonlyMap<string, SentIdentity> {
    return this.byIdentity;
  }

  close(): void {
    this.log?.close();
    this.log = undefined;
  }

  private apply(e: SentEntry): void {
    this.total++;
    this.perTopic.set(e.topic, (this.perTopic.get(e.topic) ?? 0) + 1);
    const known = this.byIdentity.get(e.identity);
    if (known) {
      known.count++;
      known.sqsMessageIds.push(e.sqsMessageId);
      known.lastAt = Math.max(known.lastAt, e.at);
    } else this.byIdentity.set(e.identity, { topic: e.topic, count: 1, sqsMessageIds: [e.sqsMessageId], lastAt: e.at });
    if (this.firstAt === undefined || e.at < this.firstAt) this.firstAt = e.at;
    if (this.lastAt === undefined || e.at > this.lastAt) this.lastAt = e.at;
  }

  private replay(lines: readonly string[]): void {
    for (const line of lines) {
      const [at, topic, sqsMessageId, identity, ...extra] = line.split('\t');
      if (topic === undefined || sqsMessageId === undefined || !identity || extra.length > 0) continue;
      this.apply({ at: Number(at), topic, sqsMessageId, identity });
    }
  }
}
