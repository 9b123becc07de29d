import * as crypto from 'node:crypto';
import type { BatchResult } from './sqs-transport';

/** An HTTP answer as it came off the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An SQS error answer, shaped as the SDK throws it: `name` from `__type`, the status in `$metadata`. */
export class SqsServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  readonly $fault: 'client' | 'server';
  /** The awsQuery error code (`x-amzn-query-error`), as the SDK's `Code`. */
  readonly Code: string | undefined;

  constructor(name: string, message: string, status: number, queryCode: string | undefined) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
    this.$fault = status >= 500 ? 'server' : 'client';
    this.Code = queryCode;
  }
}

/** Hex digest of a string's UTF-8 bytes: the one-shot crypto.hash where Node has it (20.12+, half the cost), else a Hash. */
export const digestHex = (algorithm: 'md5' | 'sha256', text: string): string =>
  typeof crypto.hash === 'function' ? crypto.hash(algorithm, text, 'hex') : crypto.createHash(algorithm).update(text, 'utf8').digest('hex');

export const md5Hex = (text: string): string => digestHex('md5', text);

/**
 * The JSON answer of a 2xx, or the error a non-2xx stands for. awsJson1_0 errors carry `__type` (the shape id,
 * `com.amazonaws.sqs#QueueDoesNotExist`) and `message`; SQS adds its awsQuery code in `x-amzn-query-error`.
 */
export function parseAnswer(res: RawResponse): Record<string, unknown> {
  let json: Record<string, unknown> | undefined;
  try {
    json = res.body.length > 0 ? (JSON.parse(res.body) as Record<string, unknown>) : {};
  } catch {
    json = undefined;
  }
  if (res.status >= 200 && res.status < 300) {
    if (!json || typeof json !== 'object') throw new SqsServiceError('DeserializationError', `unreadable answer: ${res.body.slice(0, 200)}`, res.status, undefined);
    return json;
  }
  const header = res.headers['x-amzn-errortype'];
  const type = typeof json?.__type === 'string' ? json.__type : typeof header === 'string' ? header.split(':')[0]! : 'UnknownError';
  const message = typeof json?.message === 'string' ? json.message : typeof json?.Message === 'string' ? json.Message : `HTTP ${res.status}`;
  const query = res.headers['x-amzn-query-error'];
  const queryCode = typeof query === 'string' ? query.split(';')[0] : undefined;
  throw new SqsServiceError(type.split('#').pop()!, message, res.status, queryCode);
}

interface BatchAnswer {
  Successful?: Array<{ Id?: string; MessageId?: string; MD5OfMessageBody?: string }>;
  Failed?: Array<{ Id?: string; SenderFault?: boolean; Code?: string; Message?: string }>;
}

/**
 * SendMessageBatch's answer, with every accepted entry's MD5OfMessageBody checked against the body sent under its
 * Id, as the SDK's sendMessageBatchMiddleware does (and throws the same error when one differs).
 */
export function batchResult(answer: Record<string, unknown>, sent: ReadonlyMap<string, string>): BatchResult {
  const { Successful = [], Failed = [] } = answer as BatchAnswer;
  const corrupt: string[] = [];
  for (const s of Successful) {
    const body = sent.get(s.Id ?? '');
    if (body !== undefined && s.MD5OfMessageBody !== md5Hex(body)) corrupt.push(s.MessageId ?? s.Id ?? '');
  }
  if (corrupt.length > 0) throw new Error(`Invalid MD5 checksum on messages: ${corrupt.join(', ')}`);
  return {
    successful: Successful.map((s) => s.Id ?? ''),
    failed: Failed.map((f) => ({ id: f.Id ?? '', senderFault: f.SenderFault === true, code: f.Code ?? 'Unknown', message: f.Message ?? '' })),
  };
}

/** SendMessage's answer: its MD5OfMessageBody must be the body's, as the SDK's sendMessageMiddleware checks. */
export function checkSendMessage(answer: Record<string, unknown>, body: string): void {
  if (answer.MD5OfMessageBody !== md5Hex(body)) throw new Error('InvalidChecksumError');
}
