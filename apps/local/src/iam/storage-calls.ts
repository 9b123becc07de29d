import type { RequestCall } from './request-calls';

interface At {
  region: string;
  accountId: string;
}

/**
 * S3 REST (path style, as the local endpoints are IP addresses) -> IAM action and resource (S3 User Guide, "Amazon
 * S3 API operations and their permissions": HeadObject needs s3:GetObject, HeadBucket s3:ListBucket, multipart
 * parts s3:PutObject). An SSE-KMS bucket: writing needs kms:GenerateDataKey, reading kms:Decrypt, via S3 with the
 * object's ARN in the encryption context (S3 User Guide, "Using server-side encryption with AWS KMS keys").
 */
export function s3Call(method: string, path: string, query: URLSearchParams, o: At): RequestCall | undefined {
  const [bucket, ...rest] = path.replace(/^\//, '').split('/');
  if (!bucket) return method === 'GET' ? { operation: 'ListBuckets', action: 's3:ListAllMyBuckets', resource: '*' } : undefined;
  const key = decodeURIComponent(rest.join('/'));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!key) {
    const action = query.has('uploads')
      ? 's3:ListBucketMultipartUploads'
      : query.has('location')
        ? 's3:GetBucketLocation'
        : query.has('delete') && method === 'POST'
          ? 's3:DeleteObject'
          : method === 'GET' || method === 'HEAD'
            ? 's3:ListBucket'
            : undefined;
    if (!action) return undefined;
    return { operation: action.slice(3), action, resource: action === 's3:DeleteObject' ? `${bucketArn}/*` : bucketArn };
  }
  const resource = `${bucketArn}/${key}`;
  const kms = (actions: string[]) => ({ kms: { actions, viaService: `s3.${o.region}.amazonaws.com`, context: { 'kms:EncryptionContext:aws:s3:arn': resource } } });
  if (method === 'GET' || method === 'HEAD') return { operation: 'GetObject', action: 's3:GetObject', resource, ...kms(['kms:Decrypt']) };
  if (method === 'DELETE')
    return query.has('uploadId') ? { operation: 'AbortMultipartUpload', action: 's3:AbortMultipartUpload', resource } : { operation: 'DeleteObject', action: 's3:DeleteObject', resource };
  if (method === 'PUT' || method === 'POST') return { operation: 'PutObject', action: 's3:PutObject', resource, ...kms(['kms:GenerateDataKey']) };
  return undefined;
}

/** Operations that act on every table they name: the action of each item (DynamoDB Developer Guide, "DynamoDB API permissions"). */
const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/**
 * DynamoDB JSON -> one call per table the request names. A table encrypted with a customer managed key is used
 * through DynamoDB with the caller's permission: kms:Decrypt via dynamodb (DynamoDB Developer Guide, "Encryption
 * at rest: how it works", customer managed keys).
 */
export function dynamoCalls(target: string, body: Buffer, o: At): RequestCall[] | undefined {
  const operation = target.replace(/^DynamoDB_20120810\./, '');
  let input: Record<string, unknown>;
  try {
    input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
  const table = (name: string) => `arn:aws:dynamodb:${o.region}:${o.accountId}:table/${name}`;
  const call = (action: string, name: string): RequestCall => ({
    operation,
    action: `dynamodb:${action}`,
    resource: table(name),
    kms: { actions: ['kms:Decrypt'], viaService: `dynamodb.${o.region}.amazonaws.com` },
  });
  if (typeof input.TableName === 'string') return [call(operation, input.TableName)];
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems).map((t) => call(operation, t));
  if (Array.isArray(input.TransactItems)) {
    return (input.TransactItems as Array<Record<string, { TableName?: string }>>).flatMap((item) => Object.entries(item).map(([kind, v]) => call(TRANSACT_ACTIONS[kind] ?? kind, v.TableName ?? '')));
  }
  return [{ operation, action: `dynamodb:${operation}`, resource: '*' }];
}
