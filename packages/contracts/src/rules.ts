/**
 * The rules between settings, as pure predicates: the environment schema (config) and the Terraform modules both
 * ask these and only word the message. One rule, one place; a caller never re-derives a bound.
 */
import { LIMITS } from './limits';

/** AWS region codes: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

export const isRegion = (region: string): boolean => REGION_PATTERN.test(region);

/** AWS: an SQS queue feeding a Lambda function needs a visibility timeout of at least 6 x the function timeout. */
export const minimumVisibilityTimeout = (functionTimeoutSeconds: number): number => LIMITS.visibilityTimeoutFactor * functionTimeoutSeconds;

export const visibilityCoversFunction = (visibilityTimeoutSeconds: number, functionTimeoutSeconds: number): boolean => visibilityTimeoutSeconds >= minimumVisibilityTimeout(functionTimeoutSeconds);

/** Retry pacing shortens a failed record's wait: its cap never exceeds the wait a crash would cause (the visibility timeout). */
export const retryMaxWithinVisibility = (retryMaxDelaySeconds: number, visibilityTimeoutSeconds: number): boolean => retryMaxDelaySeconds <= visibilityTimeoutSeconds;

export const retryMaxAtLeastBase = (retryMaxDelaySeconds: number, retryBaseDelaySeconds: number): boolean => retryMaxDelaySeconds >= retryBaseDelaySeconds;

/** A message keeps its original enqueue time when SQS moves it to the DLQ, so the DLQ must keep messages longer. */
export const dlqOutlivesQueue = (dlqRetentionSeconds: number, queueRetentionSeconds: number): boolean => dlqRetentionSeconds > queueRetentionSeconds;

export const isMaxReceiveCount = (count: number): boolean => Number.isInteger(count) && count >= 1 && count <= LIMITS.sqsMaxReceiveCount;

/** AWS: an ESM batch size above 10 needs a batching window of at least 1 s. */
export const batchSizeNeedsWindow = (batchSize: number, batchingWindowSeconds: number): boolean => batchSize > LIMITS.esmBatchSizeWithoutWindow && batchingWindowSeconds < 1;
