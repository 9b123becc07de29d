export { QueueStore } from './queue-store';
export type { MoveTask, QueueCounts, QueueStoreOptions, ReceiveOptions, ReceivedMessage, SendInput, SendResult } from './queue-store';
export { SqsService } from './sqs-service';
export { SqsError } from './sqs-errors';
export { LOCAL_ACCOUNT_ID, queueArn, queueUrl, queueNameFromUrl } from './queue-attributes';
export { SqsQueryService, SQS_API_VERSION } from './sqs-query-service';
