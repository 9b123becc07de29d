import type { ErrorStatus, Reason } from '@lean-ops/contracts';
import type { ExpectedOutcome, MessageKind } from '@lean-ops/injector';
import type { IdentityCheck, Place } from './identity-check';
import type { VerificationRow } from './report-types';

/** What the verification needs of an injected message (GeneratedMessage). */
export interface ExpectedMessage {
  kind: MessageKind;
  expected: ExpectedOutcome;
  messageId?: string;
}

export interface QuarantineObject {
  topic: string;
  id: string;
  reason: string;
  key: string;
}

export interface ArchiveObject {
  topic: string;
  id: string;
  receiveCount: number;
  key: string;
}

export interface VerificationInput {
  check: IdentityCheck;
  /** Injected messages, when the injection ran in process. */
  messages?: readonly ExpectedMessage[];
  /** Quarantine and DLQ archive objects (and below, tracker items) of the messages judged. */
  quarantine: readonly QuarantineObject[];
  archive: readonly ArchiveObject[];
  /** RAW identities with non-empty drift_fields. */
  driftIds: ReadonlySet<string>;
  /** Error-tracker items by status. */
  trackerByStatus: Readonly<Partial<Record<ErrorStatus, number>>>;
  /** Processor `DROPPING` log lines by reason. */
  dropping: Readonly<Partial<Record<Reason, number>>>;
  rawDistinct: number;
  recordsPerSecond?: number;
  maxReceiveCount: number;
  archiveBucket: string;
}

const PLACE_OF: Partial<Record<ExpectedOutcome, Place>> = { raw: 'raw', quarantine: 'quarantine', dlq: 'dlq' };

/**
 * Messages not found in their expected place (duplicates are checked by their original). An expectation is met by
 * a record in that place even when another copy sits elsewhere: a message expected in the DLQ whose archive object
 * exists went the way it should, and a RAW row it also has (a batch delivered before its invocation crashed) is an
 * at-least-once duplicate. The balance counts it in RAW (a record that reached the table is delivered) and the
 * duplicates list it; it is not misplaced. A message expected in the DLQ with a RAW row but no archive object is.
 */
export function misplacedMessages(check: IdentityCheck, messages: readonly ExpectedMessage[]): Array<{ identity: string; expected: string; found: Place[] }> {
  const out: Array<{ identity: string; expected: string; found: Place[] }> = [];
  for (const m of messages) {
    const want = PLACE_OF[m.expected];
    if (!want || !m.messageId) continue;
    const found = check.places.get(m.messageId) ?? [];
    if (!found.includes(want)) out.push({ identity: m.messageId, expected: want, found: [...new Set(found)] });
  }
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const row = (scenario: string, ok: boolean, result: string, expected?: number, actual?: number, details?: string[]): VerificationRow => ({
  scenario,
  result,
  status: ok ? 'pass' : 'fail',
  ...(expected !== undefined ? { expected } : {}),
  ...(actual !== undefined ? { actual } : {}),
  ...(details && details.length ? { details } : {}),
});

/** What the rows share: the expected ids of a kind, and whether an id was found in a place. */
interface RowContext {
  ids: (pred: (m: ExpectedMessage) => boolean) => Set<string>;
  placed: (id: string, p: Place) => boolean;
}

/** The seed README's verification table, each row checked against the injector's expected outcomes when known. */
export function verificationRows(v: VerificationInput): VerificationRow[] {
  const c: RowContext = {
    ids: (pred) =>
      new Set(
        (v.messages ?? [])
          .filter(pred)
          .map((m) => m.messageId)
          .filter((id): id is string => !!id),
      ),
    placed: (id, p) => (v.check.places.get(id) ?? []).includes(p),
  };
  return [happyPathRows, malformedRows, processingErrorRows, dlqArchivalRows, trackerRows, driftRows].flatMap((rows) => rows(v, c));
}

/** Happy path: every record that should land in RAW is there. */
function happyPathRows(v: VerificationInput, c: RowContext): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const msgs = v.messages;
  const { ids, placed } = c;
  const rate = v.recordsPerSecond !== undefined ? ` at ~${fmt(Math.round(v.recordsPerSecond))}/sec` : '';
  if (msgs) {
    const want = ids((m) => m.expected === 'raw');
    const landed = [...want].filter((id) => placed(id, 'raw'));
    const missing = [...want].filter((id) => !placed(id, 'raw')).slice(0, 5);
    rows.push(
      row(
        'Happy Path',
        landed.length === want.size && want.size > 0,
        `${fmt(landed.length)} of ${fmt(want.size)} records processed${rate}`,
        want.size,
        landed.length,
        missing.map((id) => `missing: ${id}`),
      ),
    );
  } else {
    rows.push(row('Happy Path', v.rawDistinct > 0 && v.check.lost.length === 0, `${fmt(v.rawDistinct)} records processed${rate}`, undefined, v.rawDistinct));
  }
  return rows;
}

/** Malformed JSON: quarantined with MALFORMED_JSON and logged as DROPPING, never retried. */
function malformedRows(v: VerificationInput): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const msgs = v.messages;
  const malformed = v.quarantine.filter((q) => q.reason === ('MALFORMED_JSON' satisfies Reason)).length;
  const droppingMalformed = v.dropping.MALFORMED_JSON ?? 0;
  const malformedWanted = msgs ? msgs.filter((m) => m.kind === 'malformed_json').length : undefined;
  rows.push(
    row(
      'Malformed JSON',
      (malformedWanted === undefined || malformed === malformedWanted) && droppingMalformed >= malformed,
      `${fmt(malformed)} quarantined as MALFORMED_JSON, ${fmt(droppingMalformed)} logged as DROPPING (no retry)`,
      malformedWanted,
      malformed,
    ),
  );
  return rows;
}

/** Processing error: retried maxReceiveCount times, moved to the DLQ, archived. */
function processingErrorRows(v: VerificationInput, c: RowContext): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const msgs = v.messages;
  const { ids, placed } = c;
  const retried = v.archive.filter((a) => a.receiveCount >= v.maxReceiveCount);
  if (msgs) {
    const want = ids((m) => m.kind === 'processing_error');
    const retriedIds = new Set(retried.map((a) => a.id));
    const done = [...want].filter((id) => retriedIds.has(id));
    const missing = [...want].filter((id) => !done.includes(id)).slice(0, 5);
    // Archived as expected, and also in RAW: passes (see misplacedMessages), shown as the duplicate it is.
    const alsoRaw = done.filter((id) => placed(id, 'raw')).slice(0, 5);
    rows.push(
      row('Processing Error', done.length === want.size, `${fmt(done.length)} of ${fmt(want.size)} retried ${v.maxReceiveCount}x -> DLQ -> S3 archive`, want.size, done.length, [
        ...missing.map((id) => `not archived after ${v.maxReceiveCount} receives: ${id}`),
        ...alsoRaw.map((id) => `also in RAW (duplicate, counted in RAW): ${id}`),
      ]),
    );
  } else {
    rows.push(row('Processing Error', retried.length === v.archive.length, `${fmt(retried.length)} retried ${v.maxReceiveCount}x -> DLQ -> S3 archive`, undefined, retried.length));
  }
  return rows;
}

/** DLQ archival: the archive objects exist under dlq-archive/, one for every message expected in the DLQ. Others */
function dlqArchivalRows(v: VerificationInput, c: RowContext): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const msgs = v.messages;
  const { ids, placed } = c;
  // archived too (a batch whose invocation crashed on every receive moves to the DLQ whole) are shown: those that
  // also reached RAW are duplicates, those that did not are misplaced (see misplacedMessages).
  const samples = v.archive.slice(0, 3).map((a) => `s3://${v.archiveBucket}/${a.key}`);
  if (msgs) {
    const want = ids((m) => m.expected === 'dlq');
    const archivedSet = new Set(v.archive.map((a) => a.id));
    const found = [...want].filter((id) => archivedSet.has(id)).length;
    const others = [...archivedSet].filter((id) => !want.has(v.check.resolve(id) ?? id));
    const othersInRaw = others.filter((id) => placed(v.check.resolve(id) ?? id, 'raw')).length;
    rows.push(
      row(
        'DLQ Archival',
        found === want.size,
        v.archive.length ? `${fmt(v.archive.length)} failed messages stored in s3://${v.archiveBucket}/dlq-archive/` : 'no failed messages to archive',
        want.size,
        found,
        [
          ...samples,
          ...(others.length ? [`${fmt(others.length)} archived that were expected elsewhere (their batch failed ${v.maxReceiveCount} receives), ${fmt(othersInRaw)} of them also in RAW`] : []),
        ],
      ),
    );
  } else {
    rows.push(
      row(
        'DLQ Archival',
        true,
        v.archive.length ? `${fmt(v.archive.length)} failed messages stored in s3://${v.archiveBucket}/dlq-archive/` : 'no failed messages to archive',
        undefined,
        v.archive.length,
        samples,
      ),
    );
  }
  return rows;
}

/** Error tracker: one item per quarantined and per archived message. */
function trackerRows(v: VerificationInput): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const quarantinedIds = new Set(v.quarantine.map((q) => q.id)).size;
  const archivedIds = new Set(v.archive.map((a) => a.id)).size;
  const trackedQ = v.trackerByStatus.QUARANTINED ?? 0;
  // A redrive moves an archived message's item on to REDRIVEN; its archive object stays.
  const trackedD = (v.trackerByStatus.DLQ_ARCHIVED ?? 0) + (v.trackerByStatus.REDRIVEN ?? 0);
  rows.push(
    row(
      'DynamoDB Logging',
      trackedQ === quarantinedIds && trackedD === archivedIds,
      `error_tracker: ${
        Object.entries(v.trackerByStatus)
          .map(([s, n]) => `${s} ${fmt(n)}`)
          .join(', ') || 'no items'
      }`,
      quarantinedIds + archivedIds,
      trackedQ + trackedD,
    ),
  );
  return rows;
}

/** Schema drift: recorded in drift_fields, never rejected. */
function driftRows(v: VerificationInput, c: RowContext): VerificationRow[] {
  const rows: VerificationRow[] = [];
  const msgs = v.messages;
  const { ids } = c;
  if (msgs && msgs.some((m) => m.kind === 'schema_drift')) {
    const want = ids((m) => m.kind === 'schema_drift');
    const seen = [...want].filter((id) => v.driftIds.has(id));
    rows.push(row('Schema Drift', seen.length === want.size, `${fmt(seen.length)} of ${fmt(want.size)} drifted records landed with drift_fields`, want.size, seen.length));
  }
  return rows;
}
