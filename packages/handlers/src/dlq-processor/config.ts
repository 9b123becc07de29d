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
  };
}
