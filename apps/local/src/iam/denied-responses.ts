import { randomUUID } from 'node:crypto';
import { jsonError, type AwsResponse } from '../aws-service';
import { queryError as snsQueryError } from '../sns/query-protocol';
import { queryError as sqsQueryError } from '../sqs/query-output';
import { deniedMessage, type Denial } from './authorizer';

/**
 * What each service answers a denied call, in its protocol:
 * - SQS: `AccessDenied` / 403, "Access to the resource <url> is denied." (Query code; the JSON protocol's shape is
 *   AccessDeniedException with that code in x-amzn-query-error); a denied KMS key: `KMS.AccessDeniedException`,
 *   shape KmsAccessDenied (SQS API reference, SendMessage/ReceiveMessage errors; re:Post "sqs-accessdenied-errors").
 *   The docs' common-errors table gives 400 for AccessDeniedException; SQS answers 403 on the wire: 403 is kept.
 * - Firehose: `AccessDeniedException` / 400 (Firehose API reference, "Common Errors").
 * - Lambda: `AccessDeniedException` / 403 with IAM's "is not authorized to perform" message.
 * - SNS: `AuthorizationError` / 403 (SNS API reference, Publish errors); a denied KMS key: `KMSAccessDenied` / 400.
 * - S3: `AccessDenied` / 403, "Access Denied" in the REST error document (S3 API reference, "Error responses").
 * - Glue: `AccessDeniedException` / 400 (Glue API reference, "Common errors"), IAM's message.
 * - DynamoDB: `AccessDeniedException` / 400 (DynamoDB API reference, "Common Errors"), IAM's message; the docs name
 *   no other code for a denied table key: the same one is used.
 */
export function deniedResponse(service: string, d: Denial, target: { url?: string }): AwsResponse {
  const message = deniedMessage(d);
  switch (service) {
    case 'sqs': {
      if (d.kms) return withQueryCode(jsonError(400, 'KmsAccessDenied', message), 'KMS.AccessDeniedException');
      return withQueryCode(jsonError(403, 'AccessDeniedException', `Access to the resource ${target.url ?? 'https://sqs.amazonaws.com/'} is denied.`), 'AccessDenied');
    }
    case 'sqs-query':
      return d.kms
        ? sqsQueryError(400, 'KMS.AccessDeniedException', message, randomUUID())
        : sqsQueryError(403, 'AccessDenied', `Access to the resource ${target.url ?? 'https://sqs.amazonaws.com/'} is denied.`, randomUUID());
    case 'firehose':
    case 'glue':
      return jsonError(400, 'AccessDeniedException', message, '1.1');
    case 'lambda':
      return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ Type: 'User', Message: message, message }) };
    case 'sns':
      return d.kms ? snsQueryError(400, 'KMSAccessDenied', message) : snsQueryError(403, 'AuthorizationError', message);
    case 's3':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${d.kms ? xml(message) : 'Access Denied'}</Message><RequestId>${randomUUID()}</RequestId></Error>`,
      };
    case 'dynamodb':
      return jsonError(400, 'com.amazon.coral.service#AccessDeniedException', message);
    default:
      return jsonError(403, 'AccessDeniedException', message);
  }
}

const withQueryCode = (res: AwsResponse, code: string): AwsResponse => ({ ...res, headers: { ...res.headers, 'x-amzn-query-error': `${code};Sender` } });

const xml = (v: string) => v.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
