export { LambdaRuntime, functionArn, functionNameOf } from './lambda-runtime';
export type { FunctionDefinition, FunctionStats, InvocationResult, InvokeOptions, LambdaRuntimeOptions } from './lambda-runtime';
export { EventSourceMappings, EsmConfigError } from './esm';
export type { EventSourceMappingConfig, EventSourceMappingStats, EventSourceMappingUpdate, EventSourceMappingView } from './esm';
export { LambdaService, type LambdaServiceOptions } from './lambda-service';
export { MappingStates, MappingInUseError, type MappingState, type MappingView } from './mapping-states';
export { readBatchResponse } from './batch-response';
export { toSqsEventRecord, type SqsEventRecord } from './sqs-event';
export { computeActivity, type ComputeActivity } from './activity';
