import type { Disposition, Reason } from '@lean-ops/contracts';

export interface Classification {
  disposition: Disposition;
  reason: Reason;
}

/** Every reason and what it means for the record: DROP is permanent (quarantine), RETRY goes back to the queue. */
export const REASON_DISPOSITION: Readonly<Record<Reason, Disposition>> = {
  EMPTY_BODY: 'DROP',
  INVALID_UTF8: 'DROP',
  MALFORMED_JSON: 'DROP',
  NOT_AN_OBJECT: 'DROP',
  MISSING_PAYLOAD: 'DROP',
  INVALID_PAYLOAD: 'DROP',
  INVALID_MESSAGE_ID: 'DROP',
  INVALID_EVENT_TIME: 'DROP',
  RECORD_TOO_LARGE: 'DROP',
  VALIDATION_ERROR: 'DROP',
  // Only after bisection narrowed a whole-call rejection down to this one record.
  FIREHOSE_REJECTED: 'DROP',
  // Only for a record that was being processed when its environment died, N times (crash isolation).
  CRASHED_RUNTIME: 'DROP',
  THROTTLED: 'RETRY',
  SERVICE_UNAVAILABLE: 'RETRY',
  TIMEOUT: 'RETRY',
  FIREHOSE_RECORD_FAILED: 'RETRY',
  UNKNOWN: 'RETRY',
};

/** SDK error names and codes (also Node socket codes) -> reason. Anything not listed is UNKNOWN, i.e. RETRY. */
export const ERROR_NAME_REASON: Readonly<Record<string, Reason>> = {
  ThrottlingException: 'THROTTLED',
  Throttling: 'THROTTLED',
  ProvisionedThroughputExceededException: 'THROTTLED',
  RequestLimitExceeded: 'THROTTLED',
  TooManyRequestsException: 'THROTTLED',
  SlowDown: 'THROTTLED',
  LimitExceededException: 'THROTTLED',
  ServiceUnavailableException: 'SERVICE_UNAVAILABLE',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  InternalFailure: 'SERVICE_UNAVAILABLE',
  InternalServerError: 'SERVICE_UNAVAILABLE',
  InternalError: 'SERVICE_UNAVAILABLE',
  ECONNREFUSED: 'SERVICE_UNAVAILABLE',
  ECONNRESET: 'SERVICE_UNAVAILABLE',
  EPIPE: 'SERVICE_UNAVAILABLE',
  TimeoutError: 'TIMEOUT',
  RequestTimeout: 'TIMEOUT',
  RequestTimeoutException: 'TIMEOUT',
  ETIMEDOUT: 'TIMEOUT',
  // A call the processor abandoned at its invocation's hard stop (never timing out itself).
  AbortError: 'TIMEOUT',
  // Firehose refuses the whole PutRecordBatch call because of a record's content or size.
  InvalidArgumentException: 'FIREHOSE_REJECTED',
};

function errorFields(err: unknown): { name?: string; code?: string; status?: number } {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { name?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const status = e.$metadata?.httpStatusCode;
  return { name: str(e.name), code: str(e.code) ?? str(e.Code), status: typeof status === 'number' ? status : undefined };
}

const isReason = (v: unknown): v is Reason => typeof v === 'string' && Object.prototype.hasOwnProperty.call(REASON_DISPOSITION, v);

/** A reason code or any thrown value -> DROP or RETRY, from the two tables above. */
export function classifyError(input: unknown): Classification {
  if (isReason(input)) return { disposition: REASON_DISPOSITION[input], reason: input };
  const { name, code, status } = errorFields(input);
  for (const key of [name, code]) {
    const reason = key !== undefined && Object.prototype.hasOwnProperty.call(ERROR_NAME_REASON, key) ? ERROR_NAME_REASON[key] : undefined;
    if (reason !== undefined) return { disposition: REASON_DISPOSITION[reason], reason };
  }
  if (status === 429) return { disposition: 'RETRY', reason: 'THROTTLED' };
  if (status !== undefined && status >= 500) return { disposition: 'RETRY', reason: 'SERVICE_UNAVAILABLE' };
  return { disposition: 'RETRY', reason: 'UNKNOWN' };
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}
