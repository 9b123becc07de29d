/** Failure classes: every failure of a record is one of these, and each maps to DROP or RETRY. */

export const DISPOSITIONS = ['DROP', 'RETRY'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Reason codes written to logs, quarantine objects and the error tracker. */
export const REASONS = [
  // DROP: permanent, the same input fails the same way every time.
  'EMPTY_BODY',
  'INVALID_UTF8',
  'MALFORMED_JSON',
  'NOT_AN_OBJECT',
  'MISSING_PAYLOAD',
  'INVALID_PAYLOAD',
  'INVALID_MESSAGE_ID',
  'INVALID_EVENT_TIME',
  'RECORD_TOO_LARGE',
  'VALIDATION_ERROR',
  'FIREHOSE_REJECTED',
  // The record was being processed when its execution environment died, in N invocations (crash isolation).
  'CRASHED_RUNTIME',
  // RETRY: transient.
  'THROTTLED',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  'FIREHOSE_RECORD_FAILED',
  'UNKNOWN',
] as const;
export type Reason = (typeof REASONS)[number];

/** DLQ-processor error class for messages that exhausted their receives. */
export const RETRIES_EXHAUSTED = 'RETRIES_EXHAUSTED';
