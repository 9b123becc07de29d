import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamodbClient, firehoseClient, s3Client, sqsClient } from '../lib/clients';
import { once } from '../lib/config';
import { processorConfig } from './config';
import { processBatch } from './process-batch';

const config = once(() => processorConfig(process.env));

/** SQS topic queue -> Firehose (RAW), quarantine or back to the queue; see processBatch. */
export async function handler(event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> {
  return processBatch(event, context, {
    config: config(),
    firehose: firehoseClient(),
    s3: s3Client(),
    dynamodb: dynamodbClient(),
    sqs: sqsClient(),
  });
}
