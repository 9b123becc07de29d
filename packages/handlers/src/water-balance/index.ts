import { dynamodbClient, sqsClient } from '../lib/clients';
import { once } from '../lib/config';
import { waterBalanceConfig } from './config';
import { runWaterBalance, type WaterBalanceReport } from './run-water-balance';

const config = once(() => waterBalanceConfig(process.env));

/** Scheduled: per-topic water balance over the last complete minutes, as the WaterBalanceGap metric. */
export async function handler(): Promise<WaterBalanceReport> {
  return runWaterBalance({ config: config(), dynamodb: dynamodbClient(), sqs: sqsClient() });
}
