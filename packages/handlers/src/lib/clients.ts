import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * One client per service per container, created on first use. Endpoints come from the SDK's own
 * configured-endpoint support (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), so the same code reaches
 * AWS or the local stack. Separate functions, so each bundle keeps only the clients its handler uses.
 */
const cache = new Map<string, unknown>();

function lazy<T>(name: string, make: () => T): () => T {
  return () => {
    if (!cache.has(name)) cache.set(name, make());
    return cache.get(name) as T;
  };
}

// `@__PURE__` lets esbuild drop the factories a handler never calls (and those clients with them).
// The processor's own loop retries within the invocation's time budget; SDK retries on top would compound.
export const firehoseClient = /* @__PURE__ */ lazy('firehose', () => new FirehoseClient({ maxAttempts: 1 }));
// Checksums only where the API requires them: S3-compatible stores reject the newer default trailers.
export const s3Client = /* @__PURE__ */ lazy('s3', () => new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }));
export const dynamodbClient = /* @__PURE__ */ lazy('dynamodb', () => new DynamoDBClient({}));
export const lambdaClient = /* @__PURE__ */ lazy('lambda', () => new LambdaClient({}));
export const snsClient = /* @__PURE__ */ lazy('sns', () => new SNSClient({}));
export const sqsClient = /* @__PURE__ */ lazy('sqs', () => new SQSClient({}));

/** Drops cached clients so the next use reads the environment again. */
export function resetClients(): void {
  cache.clear();
}
