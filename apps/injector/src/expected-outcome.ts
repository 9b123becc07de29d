import type { MixKind } from './scenario-schema';

/**
 * Where each kind of message must end, so the local stack's report can check every one:
 * `raw` (a RAW table row), `quarantine` (DROPped: permanent failure), `dlq` (retried until SQS moved it
 * to the DLQ and it was archived), `duplicate` (a re-send of a message already counted; never a loss).
 */
export const EXPECTED_OUTCOMES = ['raw', 'quarantine', 'dlq', 'duplicate'] as const;
export type ExpectedOutcome = (typeof EXPECTED_OUTCOMES)[number];

export type MessageKind = 'good' | MixKind;

export const EXPECTED_BY_KIND: Record<MessageKind, ExpectedOutcome> = {
  good: 'raw',
  // Drift is recorded in drift_fields, never rejected.
  schema_drift: 'raw',
  // Unparseable: the same input fails the same way every time (MALFORMED_JSON, DROP).
  malformed_json: 'quarantine',
  // Fits SQS (1 MiB) but not a Firehose record (1,000 KiB): RECORD_TOO_LARGE, DROP.
  oversize: 'quarantine',
  // The handler fails transiently every time: retried maxReceiveCount times, then DLQ and archive.
  processing_error: 'dlq',
  // Firehose refuses the record on every attempt: FIREHOSE_REJECTED, a DROP reason in contracts.
  firehose_reject: 'quarantine',
  // Transient faults: the retry (in the invocation, or SQS redelivery) delivers it.
  firehose_throttle_once: 'raw',
  lambda_crash_once: 'raw',
  duplicate: 'duplicate',
  // Crashes every invocation that processes it: isolated and quarantined as CRASHED_RUNTIME.
  lambda_crash: 'quarantine',
  // Hangs its first invocation past the deadline; the redelivery lands it.
  lambda_timeout_once: 'raw',
};

export const emptyOutcomeCounts = (): Record<ExpectedOutcome, number> => ({ raw: 0, quarantine: 0, dlq: 0, duplicate: 0 });
