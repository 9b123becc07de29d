import type { FunctionKind } from './names';

/**
 * The Lambda runtime of every function (ComputeModule). The local stack runs their workers on the same Node.js
 * major, so a handler that only works on another major fails locally first.
 */
export const LAMBDA_RUNTIME = 'nodejs22.x';

export interface FunctionSize {
  memoryMb: number;
  timeoutSeconds: number;
}

/**
 * The DLQ processor, breaker and monitor do little work per invocation: small fixed sizes. Shared here because
 * the DLQ's visibility timeout is derived from the DLQ processor's timeout (AWS: visibility >= 6 x timeout).
 */
export const SUPPORT_FUNCTION_SIZES: Readonly<Record<Exclude<FunctionKind, 'sqs-processor'>, FunctionSize>> = {
  'dlq-processor': { memoryMb: 256, timeoutSeconds: 30 },
  'circuit-breaker': { memoryMb: 256, timeoutSeconds: 30 },
  'water-balance': { memoryMb: 256, timeoutSeconds: 60 },
};
