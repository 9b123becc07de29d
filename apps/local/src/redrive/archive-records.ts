import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { utcDate, type DlqArchiveRecord } from '@lean-ops/contracts';

/** `dlq-archive/topic=orders/dt=2026-11-26/m-1.json` -> `2026-11-26` */
export function archiveDayOfKey(key: string): string | undefined {
  return /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

/** Day-level filter on listed keys, before any object is read (the key's day is the original enqueue day). */
export function dayInRange(day: string, since?: Date, until?: Date): boolean {
  if (since && day < utcDate(since)) return false;
  if (until && day > utcDate(until)) return false;
  return true;
}

export type ArchiveCheck = { ok: true; record: DlqArchiveRecord } | { ok: false; problem: string };

/** Reads an archive object and refuses one whose body does not match its recorded SHA-256 (never replay altered data). */
export function checkArchiveRecord(text: string, topic: string): ArchiveCheck {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, problem: 'not a JSON object' };
  const r = v as Partial<DlqArchiveRecord>;
  if (typeof r.body !== 'string') return { ok: false, problem: 'no "body" string' };
  if (typeof r.message_id !== 'string' || r.message_id === '') return { ok: false, problem: 'no "message_id"' };
  if (r.topic_name !== topic) return { ok: false, problem: `topic_name ${JSON.stringify(r.topic_name)} is not ${topic}` };
  const sha = createHash('sha256').update(r.body, 'utf8').digest('hex');
  if (r.payload_sha256 && r.payload_sha256 !== sha) return { ok: false, problem: 'body does not match payload_sha256' };
  return { ok: true, record: r as DlqArchiveRecord };
}

/** The original enqueue time (SQS SentTimestamp, kept when a message moves to the DLQ), else the archive time. */
export function sentMs(record: DlqArchiveRecord): number {
  const sent = Number(record.attributes?.SentTimestamp);
  return Number.isFinite(sent) && sent > 0 ? sent : Date.parse(record.archived_at);
}

/** Lambda's event shape (`stringValue`, `dataType`) back to SQS SendMessage attributes; binary and unknown shapes are left out. */
export function toMessageAttributes(attrs: Record<string, unknown> | undefined): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(attrs ?? {})) {
    const a = raw as { stringValue?: unknown; dataType?: unknown };
    if (typeof a?.stringValue === 'string' && typeof a.dataType === 'string') out[name] = { DataType: a.dataType, StringValue: a.stringValue };
  }
  return out;
}
