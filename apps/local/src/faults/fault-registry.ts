import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAULTS, MESSAGE_FIELDS, type Fault } from '@lean-ops/contracts';

interface FaultEntry {
  fault: Fault;
  consumed: Set<Fault>;
}

type FaultRecord = { o: 'reg'; ids: string[]; fault: Fault } | { o: 'use'; id: string; fault: Fault };

const isFault = (v: unknown): v is Fault => typeof v === 'string' && (FAULTS as readonly string[]).includes(v);

/**
 * Faults requested per message with the top-level `_fault` body attribute. Registered when SQS accepts the
 * message, under both the SQS MessageId and the producer's `message_id`, so every stand-in finds it by either.
 * A journal (when a file is given) keeps registrations and consumed once-faults across a restart:
 * a crash-once fault must not fire again after the stack comes back.
 */
export class FaultRegistry {
  private readonly byId = new Map<string, FaultEntry>();
  private fd: number | undefined;

  constructor(file?: string) {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) this.replay(fs.readFileSync(file, 'utf8'));
    this.fd = fs.openSync(file, 'a');
  }

  /** The registry of a stack: journaled as `<dataDir>/faults.jsonl`, or in memory without a data dir. */
  static forDataDir(dataDir: string | undefined): FaultRegistry {
    return new FaultRegistry(dataDir ? path.join(dataDir, 'faults.jsonl') : undefined);
  }

  /** Parses the body only when it mentions the attribute: most messages carry no fault. */
  register(sqsMessageId: string, body: string): void {
    if (!body.includes(`"${MESSAGE_FIELDS.fault}"`)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
    const obj = parsed as Record<string, unknown>;
    const fault = obj[MESSAGE_FIELDS.fault];
    if (!isFault(fault)) return;
    const ids = [sqsMessageId];
    const producerId = obj[MESSAGE_FIELDS.messageId];
    if (typeof producerId === 'string' && producerId !== '' && producerId !== sqsMessageId) ids.push(producerId);
    this.apply({ o: 'reg', ids, fault });
    this.write({ o: 'reg', ids, fault });
  }

  faultFor(messageId: string): Fault | undefined {
    return this.byId.get(messageId)?.fault;
  }

  /** True exactly once per message (either id) and fault: the first caller gets to apply it. */
  consumeOnce(messageId: string, fault: Fault): boolean {
    const entry = this.byId.get(messageId);
    if (!entry || entry.fault !== fault || entry.consumed.has(fault)) return false;
    entry.consumed.add(fault);
    this.write({ o: 'use', id: messageId, fault });
    return true;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private apply(r: FaultRecord): void {
    if (r.o === 'reg') {
      // A producer id sent twice (duplicate delivery) shares one entry, so a once-fault still fires once.
      const entry = r.ids.map((id) => this.byId.get(id)).find((e) => e?.fault === r.fault) ?? { fault: r.fault, consumed: new Set<Fault>() };
      for (const id of r.ids) this.byId.set(id, entry);
    } else {
      this.byId.get(r.id)?.consumed.add(r.fault);
    }
  }

  private write(r: FaultRecord): void {
    if (this.fd !== undefined) fs.writeSync(this.fd, JSON.stringify(r) + '\n');
  }

  private replay(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        this.apply(JSON.parse(line) as FaultRecord);
      } catch {
        // a torn last line was never acknowledged
      }
    }
  }
}
