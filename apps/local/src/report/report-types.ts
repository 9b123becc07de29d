/** The local stack's report (report.json and the drain endpoint's answer). */

export interface TopicLedger {
  topic: string;
  /** Messages sent (the injector when it ran in process, else the stack's sent ledger); re-sends included. */
  sent: number;
  /** Distinct identities sent (producer message_id, else SQS MessageId). */
  sentDistinct: number;
  /** Records the processor received (checkpoints): every receive counts, retries included. */
  received: number;
  /** Records Firehose accepted (processor checkpoints). */
  delivered: number;
  /** Rows of this topic in the RAW table. */
  addedToTable: number;
  /**
   * Where each sent identity of this topic is counted, one place each, first found of: RAW row (distinct message
   * ids), quarantine object, DLQ archive object, Firehose error output. A record that reached the table is
   * delivered: its archive or quarantine copy makes it a duplicate, not a second count.
   */
  rawDistinct: number;
  /** Sent identities counted as quarantined (quarantine/topic=<t>/ object, no RAW row). */
  quarantined: number;
  /** Sent identities counted as DLQ-archived (dlq-archive/topic=<t>/ object, no RAW row or quarantine object). */
  dlqArchived: number;
  /** Sent identities counted in the Firehose error output only (attributed by decoding rawData). */
  errorOutput: number;
  /** Still in the topic queue (visible, in flight or delayed). */
  inFlight: number;
  lost: number;
  duplicates: number;
}

export interface Balance {
  sent: number;
  sentDistinct: number;
  rawRows: number;
  rawDistinct: number;
  quarantined: number;
  dlqArchived: number;
  errorOutput: number;
  /** Queues (topic queues and DLQ) plus Firehose buffers; 0 once settled. */
  inFlight: number;
  lost: number;
  duplicates: number;
  /** sentDistinct = rawDistinct + quarantined + dlqArchived + errorOutput + inFlight, lost = 0. */
  holds: boolean;
}

/**
 * Identities delivered more than once (SQS and Firehose deliver at least once). Each is still counted once in the
 * balance, in the first place it was found in: RAW, quarantine, DLQ archive, error output. An identity can be a
 * duplicate of several kinds; `total` counts it once.
 */
export interface DuplicateSummary {
  /** Identities with more than one RAW row. */
  rawDuplicates: number;
  /** Identities found in more than one place (RAW, quarantine, DLQ archive, error output). */
  crossLocation: number;
  /** crossLocation by the places found: `raw+dlq` (RAW and DLQ archive), `raw+quarantine`, `quarantine+dlq`, ... */
  crossBreakdown: Record<string, number>;
  /** Identities sent more than once. */
  sentMoreThanOnce: number;
  total: number;
  first: string[];
  /** The first duplicates: every place found (a place repeats per record), the place counted in, times sent. */
  firstFound: Array<{ identity: string; found: string[]; countedIn: string; sent: number }>;
  /**
   * Every duplicate identity attributed to one cause: `producer_resend` (sent more than once), `timeout` / `crash`
   * (an invocation holding it ended without a response), `requeue` (crash isolation sent it again), `other`.
   */
  byCause: Record<string, number>;
  /** Copies crash isolation re-queued (the sent ledger counts them; `sent` and sentMoreThanOnce do not). */
  requeuedCopies: number;
}

export interface VerificationRow {
  scenario: string;
  result: string;
  status: 'pass' | 'fail';
  expected?: number;
  actual?: number;
  details?: string[];
}

export interface BreakerTransitionView {
  topic: string;
  from: string;
  to: string;
  reason: string;
  at: string;
}

export interface Report {
  generatedAt: string;
  environment: string;
  dataDir: string;
  /** The RAW table's location (`s3://<warehouse bucket>/warehouse/<database>/<table>/`), as the ready line gives it. */
  warehouse: string;
  scenario?: string;
  settled: boolean;
  throughput: {
    /** RAW rows landed / seconds from the first send until the last of them was committed. */
    definition: string;
    rawRows: number;
    firstSendAt?: string;
    lastCommitAt?: string;
    seconds?: number;
    recordsPerSecond?: number;
    injectorRecordsPerSecond?: number;
  };
  balance: Balance;
  ledger: TopicLedger[];
  lost: { count: number; first: string[] };
  duplicates: DuplicateSummary;
  /** RAW identities, quarantine or archive objects that match no sent message (e.g. sent before a ledger existed). */
  unexpected: { count: number; first: string[] };
  /** Messages whose place differs from what the injector expected (in-process runs). */
  misplaced: { count: number; first: Array<{ identity: string; expected: string; found: string[] }> };
  verification: VerificationRow[];
  breaker: { transitions: BreakerTransitionView[]; states: Record<string, string> };
  firehose: { incomingRows: number; successfulRows: number; failedRows: number; calls: number; commits: number };
  iceberg: { snapshots: number; addedRecords: number; totalRecords: number };
  errorTracker: { byStatus: Record<string, number>; byReason: Record<string, number> };
  dropping: Record<string, number>;
  /** CloudWatch alarm state changes published to the alert topic (e.g. the water-balance gap alarm). */
  alarms: { transitions: Array<{ name: string; from: string; to: string; at: string }> };
  /** Calls the plan's IAM, key, queue, topic and function policies denied, by principal, action and resource. */
  denied: Array<{ principal: string; action: string; resource: string; count: number }>;
  /** Calls the policies allowed, by principal and action: what each role really calls (per record or per batch). */
  calls: Array<{ principal: string; action: string; count: number }>;
  injection?: { scenario: string; total: number; sent: number; failed: number; seconds: number; recordsPerSecond: number };
  /** lost = 0, the balance holds and every verification row passes. */
  ok: boolean;
}
