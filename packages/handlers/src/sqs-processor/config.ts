import { ENV, type TopicRuntimeConfig } from '@lean-ops/contracts';
import { TopicIndex, numberEnv, requireEnv, topicsEnv } from '../lib/config';

export interface ProcessorConfig {
  namePrefix: string;
  topics: TopicIndex;
  deliveryStream: string;
  archiveBucket: string;
  checkpointsTable: string;
  errorsTable: string;
  errorTtlDays: number;
  checkpointTtlDays: number;
  /** Retry pacing: a RETRY record's visibility = min(base * 2^(receiveCount - 1), max) seconds. */
  retryBaseDelaySeconds: number;
  retryMaxDelaySeconds: number;
  /** Crash isolation: pinned crashes before a record is quarantined as CRASHED_RUNTIME. */
  crashQuarantineAfter: number;
  /** The topic queues' maxReceiveCount: a crash-returned record on its last receive is re-queued instead. */
  maxReceiveCount: number;
}

export function processorConfig(env: Record<string, string | undefined> = process.env): ProcessorConfig {
  const topics: TopicRuntimeConfig[] = topicsEnv(env);
  return {
    namePrefix: requireEnv(env, ENV.namePrefix),
    topics: new TopicIndex(topics),
    deliveryStream: requireEnv(env, ENV.deliveryStream),
    archiveBucket: requireEnv(env, ENV.archiveBucket),
    checkpointsTable: requireEnv(env, ENV.checkpointsTable),
    errorsTable: requireEnv(env, ENV.errorsTable),
    errorTtlDays: numberEnv(env, ENV.errorTtlDays),
    checkpointTtlDays: numberEnv(env, ENV.checkpointTtlDays),
    retryBaseDelaySeconds: numberEnv(env, ENV.retryBaseDelaySeconds),
    retryMaxDelaySeconds: numberEnv(env, ENV.retryMaxDelaySeconds),
    crashQuarantineAfter: Math.max(1, numberEnv(env, ENV.crashQuarantineAfter)),
    maxReceiveCount: Math.max(1, numberEnv(env, ENV.maxReceiveCount)),
  };
}
