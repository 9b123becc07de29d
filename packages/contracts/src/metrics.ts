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
  /** Records returned to the queue (RETRY). The breaker's error rate is failed / received. */
  failed: 'RecordsFailed',
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
