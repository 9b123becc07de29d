import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { METRICS } from '@lean-ops/contracts';
import { errorMessage } from '../core/classify-error';
import { waterBalance, type WaterBalance } from '../core/water-balance';
import { readWindowsSince } from '../lib/checkpoint-windows';
import { emitMetrics } from '../lib/emf';
import { logger } from '../lib/logger';
import type { WaterBalanceConfig } from './config';

export interface WaterBalanceDeps {
  config: WaterBalanceConfig;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  now?: () => Date;
}

export interface WaterBalanceReport {
  from: string;
  to: string;
  dlqDepth: number | null;
  topics: Record<string, WaterBalance>;
}

const MINUTE = 60_000;

async function dlqDepth(sqs: SQSClient, url: string): Promise<number | null> {
  try {
    const resp = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    const a = resp.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  } catch (err) {
    logger.error('DLQ_DEPTH_FAILED', { error: errorMessage(err) });
    return null;
  }
}

/**
 * Per topic, sums the last N complete minute windows (the current minute is still being written) and emits
 * received - (delivered + dropped + retried) as WaterBalanceGap: anything but 0 means records were counted in
 * but not out.
 */
export async function runWaterBalance(deps: WaterBalanceDeps): Promise<WaterBalanceReport> {
  const now = deps.now?.() ?? new Date();
  const { config } = deps;
  const currentMinute = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const from = new Date(currentMinute - config.windowMinutes * MINUTE);
  const lastComplete = new Date(currentMinute - MINUTE);
  const topics: Record<string, WaterBalance> = {};
  for (const t of config.topics.topics) {
    const windows = await readWindowsSince(deps.dynamodb, config.checkpointsTable, t.topic, from, lastComplete);
    const balance = waterBalance(windows);
    topics[t.topic] = balance;
    emitMetrics(t.topic, { [METRICS.waterBalanceGap]: balance.gap }, now.getTime());
  }
  const depth = await dlqDepth(deps.sqs, config.dlqUrl);
  const report = { from: from.toISOString(), to: new Date(currentMinute).toISOString(), dlqDepth: depth, topics };
  const unbalanced = Object.entries(topics)
    .filter(([, b]) => b.gap !== 0)
    .map(([t]) => t);
  logger[unbalanced.length > 0 ? 'warn' : 'info']('WATER_BALANCE', { ...report, unbalanced });
  return report;
}
