import * as fs from 'node:fs';
import * as path from 'node:path';
import { MESSAGE_FIELDS, MESSAGE_ID_PATTERN } from '@lean-ops/contracts';

/**
 * The identity a message is accounted under, by the rule every handler files it by: the producer's
 * `message_id` when the body is a JSON object with a valid one, else the SQS MessageId.
 */
export function messageIdentity(body: string, sqsMessageId: string): string {
  // Most bodies that carry no message_id are not worth a parse.
  if (!body.includes(`"${MESSAGE_FIELDS.messageId}"`)) return sqsMessageId;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return sqsMessageId;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return sqsMessageId;
  const obj = parsed as Record<string, unknown>;
  const id = Object.prototype.hasOwnProperty.call(obj, MESSAGE_FIELDS.messageId) ? obj[MESSAGE_FIELDS.messageId] : undefined;
  return typeof id === 'string' && MESSAGE_ID_PATTERN.test(id) ? id : sqsMessageId;
}

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
  private fd: number | undefined;
  private pending = '';
  private total = 0;
  private thisRun = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** First send accepted by this process (not replayed from the file): where this run's clock starts. */
  firstAtThisRun: number | undefined;

  constructor(file?: string) {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      this.replay(text);
      // A torn last line would glue itself to the next record: cut it off before appending.
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end), 'utf8'));
    }
    this.fd = fs.openSync(file, 'a');
  }

  static forDataDir(dataDir: string): SentLedger {
    return new SentLedger(path.join(dataDir, 'sent-ledger.tsv'));
  }

  record(topic: string, sqsMessageId: string, body: string, at = Date.now()): SentEntry {
    const entry: SentEntry = { topic, identity: messageIdentity(body, sqsMessageId), sqsMessageId, at };
    this.apply(entry);
    this.firstAtThisRun ??= at;
    this.thisRun++;
    if (this.fd !== undefined) {
      // One write per request, not per message: a microtask queued during the send runs before the answer is written.
      if (this.pending === '') queueMicrotask(() => this.flush());
      this.pending += `${at}\t${topic}\t${sqsMessageId}\t${entry.identity}\n`;
    }
    return entry;
  }

  /** Writes the lines recorded so far (synchronously: a line on disk is a send the stack acknowledged). */
  flush(): void {
    if (this.fd === undefined || this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    fs.writeSync(this.fd, data);
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
    this.flush();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
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

  private replay(text: string): void {
    for (const line of text.split('\n')) {
      const parts = line.split('\t');
      // a torn last line was never acknowledged to the sender
      if (parts.length !== 4 || !parts[3]) continue;
      this.apply({ at: Number(parts[0]), topic: parts[1], sqsMessageId: parts[2], identity: parts[3] });
    }
  }
}
