/** CloudWatch metrics (Embedded Metric Format) emitted by the handlers and alarmed on by ObservabilityModule. */

export const METRICS_NAMESPACE = 'LeanOps';

export const DIMENSIONS = { topic: 'Topic' } as const;

export const METRICS = {
  /** Records the processor received (per receive, so retries count again). */
  received: 'RecordsReceived',
  /** Records Firehose accepted. */
  delivered: 'RecordsDelivered',
  /** Records quarantined (DROP). */
  dropped: 'RecordsDropped',
  /** Records returned to the queue (RETRY), on any receive. */
  failed: 'RecordsFailed',
  /** Records on their first receive (ApproximateReceiveCount 1): new data, the breaker's denominator. */
  firstAttemptReceived: 'FirstAttemptRecords',
  /** First-receive records returned to the queue (RETRY): the breaker's numerator. */
  firstAttemptFailed: 'FirstAttemptFailed',
  /** PutRecordBatch calls made. */
  firehoseCalls: 'FirehoseCalls',
  /** Messages the DLQ processor archived. */
  dlqArchived: 'DlqArchived',
  /** received - (delivered + dropped + retried) per window, from the water-balance monitor. */
  waterBalanceGap: 'WaterBalanceGap',
  /** Circuit-breaker transitions. */
  breakerTransition: 'BreakerTransition',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** Firehose's own delivery metrics for an Iceberg destination (AWS/Firehose, dimension DeliveryStreamName). */
export const FIREHOSE_METRICS_NAMESPACE = 'AWS/Firehose';
export const FIREHOSE_ICEBERG_METRICS = {
  /** Rows Firehose attempts to deliver to the table. */
  incomingRows: 'DeliveryToIceberg.IncomingRowCount',
  /** Rows committed to the table. */
  successfulRows: 'DeliveryToIceberg.SuccessfulRowCount',
  /** Rows that could not be written and went to the S3 error output. */
  failedRows: 'DeliveryToIceberg.FailedRowCount',
} as const;

/**
 * What the circuit-breaker's error-rate alarm reads: first receives only. A few bad records retried toward the DLQ
 * (3 receives each) would otherwise be most of a period's receptions once new data stops, and trip a healthy topic;
 * a topic broken for new data still fails 100% of its first receives. The keys are the alarm's metric-query ids.
 */
export const ERROR_RATE_METRICS = { failed: METRICS.firstAttemptFailed, received: METRICS.firstAttemptReceived } as const;
export type ErrorRateQueryId = keyof typeof ERROR_RATE_METRICS;

/** Metric-query id of the alarm's expression (the value compared with the threshold). */
export const ERROR_RATE_EXPRESSION_ID = 'error_rate';

/**
 * The alarm's metric math: the error rate in percent, forced to 0 until at least `minErrors` records failed
 * (so 1 failure out of 1 record does not trip the breaker). Ids are the keys of ERROR_RATE_METRICS.
 */
export function errorRateExpression(minErrors: number): string {
  const failed: ErrorRateQueryId = 'failed';
  const received: ErrorRateQueryId = 'received';
  return `IF(${failed} >= ${minErrors} AND ${received} > 0, 100 * ${failed} / ${received}, 0)`;
}

/**
 * Direct PUT records Firehose throttled because the stream went above its throughput limit (AWS/Firehose,
 * dimension DeliveryStreamName); the Firehose developer guide recommends an alarm on it.
 */
export const FIREHOSE_THROTTLED_RECORDS = 'ThrottledRecords';

/** Lambda's own invocation metrics (AWS/Lambda, dimension FunctionName). */
export const LAMBDA_METRICS_NAMESPACE = 'AWS/Lambda';
export const LAMBDA_METRICS = {
  /** Invocations that ended in a function error: a crash or a timeout (partial batch responses return normally). */
  errors: 'Errors',
  /** Invocation requests Lambda refused for lack of concurrency. */
  throttles: 'Throttles',
} as const;
