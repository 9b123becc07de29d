import type { AwsResponse } from '../aws-service';

/**
 * SQS errors as the JSON protocol returns them. The SDK (awsQueryCompatible) picks the exception class
 * from the `x-amzn-query-error` header code, so each error carries both its shape name and its query code.
 */
const ERRORS = {
  QueueDoesNotExist: { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { code: 'QueueAlreadyExists', status: 400 },
  InvalidParameterValue: { code: 'InvalidParameterValue', status: 400 },
  MissingParameter: { code: 'MissingParameter', status: 400 },
  InvalidAttributeName: { code: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { code: 'InvalidAttributeValue', status: 400 },
  InvalidMessageContents: { code: 'InvalidMessageContents', status: 400 },
  ReceiptHandleIsInvalid: { code: 'ReceiptHandleIsInvalid', status: 404 },
  MessageNotInflight: { code: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  TooManyEntriesInBatchRequest: { code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: { code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  EmptyBatchRequest: { code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  InvalidBatchEntryId: { code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  BatchRequestTooLong: { code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  PurgeQueueInProgress: { code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  UnsupportedOperation: { code: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  ResourceNotFoundException: { code: 'ResourceNotFoundException', status: 404 },
  UnknownOperationException: { code: 'UnknownOperationException', status: 400 },
} as const;

export type SqsErrorName = keyof typeof ERRORS;

export class SqsError extends Error {
  constructor(
    readonly type: SqsErrorName,
    message: string,
  ) {
    super(message);
    this.name = type;
  }

  /** The query-protocol code (`AWS.SimpleQueueService.NonExistentQueue`), as batch `Failed[].Code` uses it too. */
  get code(): string {
    return ERRORS[this.type].code;
  }

  get status(): number {
    return ERRORS[this.type].status;
  }

  toResponse(): AwsResponse {
    const { code, status } = ERRORS[this.type];
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${this.type}`, message: this.message }),
    };
  }
}

export const noSuchQueue = () => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
export const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', message);
