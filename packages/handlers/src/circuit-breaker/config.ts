import { ENV } from '@lean-ops/contracts';
import { TopicIndex, numberEnv, requireEnv, topicsEnv } from '../lib/config';

export interface BreakerConfig {
  namePrefix: string;
  topics: TopicIndex;
  locksTable: string;
  checkpointsTable: string;
  alertTopicArn: string;
  processorFunctionName: string;
  cooldownMs: number;
  errorRateThresholdPercent: number;
  errorRateMinErrors: number;
}

export function breakerConfig(env: Record<string, string | undefined> = process.env): BreakerConfig {
  return {
    namePrefix: requireEnv(env, ENV.namePrefix),
    topics: new TopicIndex(topicsEnv(env)),
    locksTable: requireEnv(env, ENV.locksTable),
    checkpointsTable: requireEnv(env, ENV.checkpointsTable),
    alertTopicArn: requireEnv(env, ENV.alertTopicArn),
    processorFunctionName: requireEnv(env, ENV.processorFunctionName),
    cooldownMs: numberEnv(env, ENV.breakerCooldownSeconds) * 1000,
    errorRateThresholdPercent: numberEnv(env, ENV.errorRateThresholdPercent),
    errorRateMinErrors: numberEnv(env, ENV.errorRateMinErrors),
  };
}
