import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamodbClient, s3Client, sqsClient } from '../lib/clients';
import { once } from '../lib/config';
import { dlqConfig } from './config';
import { processDlqBatch } from './process-dlq';

const config = once(() => dlqConfig(process.env));

/** Centralized DLQ -> dlq-archive/ in S3 + error tracker; see processDlqBatch. */
export async function handler(event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> {
  return processDlqBatch(event, {
    config: config(),
    s3: s3Client(),
    dynamodb: dynamodbClient(),
    sqs: sqsClient(),
    remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined,
  });
}
