import { ENV } from '@lean-ops/contracts';
import { TopicIndex, numberEnv, requireEnv, topicsEnv } from '../lib/config';

export interface DlqConfig {
  namePrefix: string;
  topics: TopicIndex;
  archiveBucket: string;
  checkpointsTable: string;
  errorsTable: string;
  errorTtlDays: number;
  checkpointTtlDays: number;
  /** The DLQ's URL: records that could not be archived get their retry delay set on it. */
  dlqUrl: string;
  retryBaseDelaySeconds: number;
  retryMaxDelaySeconds: number;
}

export function dlqConfig(env: Record<string, string | undefined> = process.env): DlqConfig {
  return {
    namePrefix: requireEnv(env, ENV.namePrefix),
    topics: new TopicIndex(topicsEnv(env)),
    archiveBucket: requireEnv(env, ENV.archiveBucket),
    checkpointsTable: requireEnv(env, ENV.checkpointsTable),
    errorsTable: requireEnv(env, ENV.errorsTable),
    errorTtlDays: numberEnv(env, ENV.errorTtlDays),
    checkpointTtlDays: numberEnv(env, ENV.checkpointTtlDays),
    dlqUrl: requireEnv(env, ENV.dlqUrl),
    retryBaseDelaySeconds: numberEnv(env, ENV.retryBaseDelaySeconds),
    retryMaxDelaySeconds: numberEnv(env, ENV.retryMaxDelaySeconds),
  };
}
