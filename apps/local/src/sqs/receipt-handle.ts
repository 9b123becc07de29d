import { randomBytes } from 'node:crypto';
import { SqsError } from './sqs-errors';

const RECEIPT_PREFIX = 'lo1';
/** Receipt handles: message id, a per-process nonce and a counter make every receive's handle unique without a random draw each. */
const HANDLE_NONCE = randomBytes(6).toString('base64url');
let handleCounter = 0;

/** A new handle for this receive of the message. */
export function newReceiptHandle(messageId: string): string {
  return `${RECEIPT_PREFIX}.${Buffer.from(messageId).toString('base64url')}.${HANDLE_NONCE}${(++handleCounter).toString(36)}`;
}

/** The message id a handle was issued for; ReceiptHandleIsInvalid for anything this store did not issue. */
export function messageIdOfHandle(handle: string): string {
  const parts = typeof handle === 'string' ? handle.split('.') : [];
  const [prefix, encodedId] = parts;
  if (parts.length !== 3 || prefix !== RECEIPT_PREFIX || encodedId === undefined) {
    throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return Buffer.from(encodedId, 'base64url').toString();
}
