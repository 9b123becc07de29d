// Pure core: no AWS SDK imports, safe for any package to use.
export { parseMessage, MAX_JSON_DEPTH, type ParseResult, type ParsedMessage, type ParseFailure } from './core/parse-message';
export { scanJson, type ScanResult } from './core/json-scan';
export { toRawRow, driftFields, type RecordContext } from './core/normalize';
export { prepareRecord, type Prepared, type Deliverable, type Droppable } from './core/prepare-record';
export { classifyError, errorMessage, REASON_DISPOSITION, ERROR_NAME_REASON, type Classification } from './core/classify-error';
export { planFirehoseBatches, FIREHOSE_BATCH_LIMITS, type BatchLimits } from './core/plan-firehose-batches';
export { planRetry, backoffDelay, hasTimeFor, DEFAULT_RETRY, type RetryOptions, type RetryDecision } from './core/retry-plan';
export { bisect } from './core/bisect';
export { retryVisibility, planVisibilityChanges, type RetryRecord, type VisibilityBatch, type VisibilityEntry } from './core/retry-visibility';
export { deliverRecords, type DeliveryOutcome, type PutEntryResult, type DeliveryDeps } from './core/deliver-records';
export { nextBreakerState, evaluateProbe, type BreakerSnapshot, type BreakerEvent, type BreakerTransition, type BreakerAction, type ProbeVerdict } from './core/breaker-state';
export { waterBalance, type WaterBalance, type CheckpointCounts } from './core/water-balance';
export { emfDocument } from './lib/emf';
export { bundlePath, bundleDir, BUNDLE_HANDLER } from './bundle-path';
export { rawRowLine } from './core/raw-row-line';
