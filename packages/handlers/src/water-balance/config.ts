import { ENV } from '@lean-ops/contracts';
import { TopicIndex, numberEnv, requireEnv, topicsEnv } from '../lib/config';

export interface WaterBalanceConfig {
  namePrefix: string;
  topics: TopicIndex;
  checkpointsTable: string;
  dlqUrl: string;
  windowMinutes: number;
}

export function waterBalanceConfig(env: Record<string, string | undefined> = process.env): WaterBalanceConfig {
  return {
    namePrefix: requireEnv(env, ENV.namePrefix),
    topics: new TopicIndex(topicsEnv(env)),
    checkpointsTable: requireEnv(env, ENV.checkpointsTable),
    dlqUrl: requireEnv(env, ENV.dlqUrl),
    windowMinutes: numberEnv(env, ENV.waterBalanceWindowMinutes),
  };
}
