import { LIMITS } from '@lean-ops/contracts';
import type { AwsRequest } from '../aws-service';
import type { MessageAttributes } from './message-md5';
import { queueNameFromUrl } from './queue-attributes';
import type { SendInput } from './queue-store';
import { SqsError, invalidParameter } from './sqs-errors';

/** An action's input as the JSON protocol carries it (the Query protocol is turned into the same shape). */
export type Json = Record<string, unknown>;
export type Action = (input: Json, req: AwsRequest) => Promise<unknown> | unknown;

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export const str = (input: Json, key: string, required = true): string => {
  const v = input[key];
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined || v === null || v === '') {
    if (required) throw new SqsError('MissingParameter', `The request must contain the parameter ${key}.`);
    return '';
  }
  throw invalidParameter(`Value for parameter ${key} is invalid. Reason: must be a string.`);
};

export const optInt = (input: Json, key: string, min: number, max: number): number | undefined => {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(`Value ${String(v)} for parameter ${key} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  }
  return n;
};

export const entries = (input: Json): Json[] => {
  const list = input.Entries;
  if (!Array.isArray(list) || list.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (list.length > LIMITS.sqsMaxBatchEntries) {
    throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${LIMITS.sqsMaxBatchEntries}. You have sent ${list.length}.`);
  }
  const ids = new Set<string>();
  for (const e of list as Json[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (ids.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return list as Json[];
};

export const failed = (id: string, e: unknown) => {
  if (e instanceof SqsError) return { Id: id, SenderFault: true, Code: e.code, Message: e.message };
  throw e;
};

export const queueNameOf = (input: Json): string => queueNameFromUrl(str(input, 'QueueUrl'));

/** SendMessage's (or a batch entry's) input: body, delay, message attributes and the one system attribute. */
export function sendInput(i: Json): SendInput {
  const body = i.MessageBody;
  if (typeof body !== 'string') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const delay = optInt(i, 'DelaySeconds', 0, 900);
  const sys = i.MessageSystemAttributes as Record<string, { StringValue?: string }> | undefined;
  return {
    body,
    delaySeconds: delay,
    messageAttributes: i.MessageAttributes as MessageAttributes | undefined,
    systemAttributes: sys?.AWSTraceHeader?.StringValue ? { AWSTraceHeader: sys.AWSTraceHeader.StringValue } : undefined,
  };
}
