export { LambdaRuntime, functionArn, functionNameOf } from './lambda-runtime';
export type { FunctionDefinition, FunctionStats, InvocationResult, InvokeOptions, LambdaRuntimeOptions } from './lambda-runtime';
export { EventSourceMappings, EsmConfigError } from './esm';
export type { EventSourceMappingConfig, EventSourceMappingStats, EventSourceMappingUpdate, EventSourceMappingView } from './esm';
export { LambdaService } from './lambda-service';
export { readBatchResponse } from './batch-response';
export { toSqsEventRecord, type SqsEventRecord } from './sqs-event';
export { computeActivity, type ComputeActivity } from './activity';
