import { hasInvalidCharacters, messageSize } from './message-md5';
import type { SendInput } from './queue-types';
import { SqsError, invalidParameter } from './sqs-errors';

/** Checks a message against the queue's limits without sending it (batch size checks need each entry's size first). */
export function validateMessage(q: { num(attr: string): number }, input: SendInput): void {
  if (hasInvalidCharacters(input.body)) {
    throw new SqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  if (input.body.length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const max = q.num('MaximumMessageSize');
  if (messageSize(input.body, input.messageAttributes) > max) {
    throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  }
  const delay = input.delaySeconds;
  if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > 900)) {
    throw invalidParameter(`Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
  }
  for (const [attrName, a] of Object.entries(input.messageAttributes ?? {})) {
    if (!a || typeof a.DataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(a.DataType)) {
      throw invalidParameter(`The message attribute '${attrName}' has an invalid message attribute type.`);
    }
    if (a.StringValue === undefined && a.BinaryValue === undefined) {
      throw invalidParameter(`The message attribute '${attrName}' must contain non-empty message attribute value.`);
    }
  }
  if (Object.keys(input.messageAttributes ?? {}).length > 10) {
    throw invalidParameter('Number of message attributes [11] exceeds the allowed maximum [10].');
  }
}
