export { loadScenario, parseScenario } from './load-scenario';
export { ScenarioError } from './scenario-error';
export {
  MIX_KINDS,
  emptyMix,
  scenarioSchema,
  type Mix,
  type MixKind,
  type Scenario,
  type ScenarioInput,
  type TopicPlan,
} from './scenario-schema';
export {
  generateMessages,
  breakJson,
  MALFORMED_KINDS,
  OVERSIZE_BODY_BYTES,
  type GeneratedMessage,
  type GenerateOptions,
  type MalformedKind,
  type TopicInfo,
} from './generate-messages';
export { EXPECTED_BY_KIND, EXPECTED_OUTCOMES, type ExpectedOutcome, type MessageKind } from './expected-outcome';
export { LARGE_INTEGER, UNICODE_TEXT, DRIFT_KEYS } from './payload-fields';
export { inject, type InjectOptions, type InjectionFailure, type InjectionResult } from './inject';
export { dealBatches, startConnections, type LaneClientConfig } from './parallel-send';
export { DEFAULT_CONNECTIONS } from './connections';
export { planBatches, SQS_BATCH_LIMITS, type BatchLimits, type PlannedBatch } from './plan-batches';
export { sqsTransport, isTransientError, type SqsTransport, type BatchResult, type BatchEntryFailure } from './sqs-transport';
export { createProgress, type Progress, type ProgressStream } from './progress';
