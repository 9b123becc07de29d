import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface BatchEntryFailure {
  id: string;
  /** SQS: true when the request itself was wrong (retrying cannot help). */
  senderFault: boolean;
  code: string;
  message: string;
}

export interface BatchResult {
  successful: string[];
  failed: BatchEntryFailure[];
}

/** The two SQS calls the sender makes, so the sending logic can be tested with a fake. */
export interface SqsTransport {
  sendBatch(queueUrl: string, entries: ReadonlyArray<{ id: string; body: string }>): Promise<BatchResult>;
  sendOne(queueUrl: string, body: string): Promise<void>;
}

export function sqsTransport(client: Pick<SQSClient, 'send'>): SqsTransport {
  return {
    async sendBatch(queueUrl, entries) {
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((e) => ({ Id: e.id, MessageBody: e.body })) }));
      return {
        successful: (out.Successful ?? []).map((s) => s.Id ?? ''),
        failed: (out.Failed ?? []).map((f) => ({
          id: f.Id ?? '',
          senderFault: f.SenderFault === true,
          code: f.Code ?? 'Unknown',
          message: f.Message ?? '',
        })),
      };
    },
    async sendOne(queueUrl, body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
  };
}

const TRANSIENT_NAMES = new Set(['RequestThrottled', 'ThrottlingException', 'Throttling', 'KmsThrottled', 'ServiceUnavailable', 'InternalError', 'InternalFailure', 'RequestTimeout', 'TimeoutError']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** Whether a failed call is worth repeating (throttling, 5xx, connection trouble), after the SDK's own retries. */
export function isTransientError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return TRANSIENT_NAMES.has(e?.name ?? '') || TRANSIENT_CODES.has(e?.code ?? '');
}

export function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string };
  return e?.code ?? e?.name ?? 'Error';
}
