import { jsonBody, type AwsRequest } from '../aws-service';
import { cloudWatchCall } from '../cloudwatch/cloudwatch-wire';
import { queryParams } from '../sqs/query-input';
import { queueNameFromUrl } from '../sqs/queue-attributes';
import type { CallToAuthorize } from './authorizer';

export type RequestCall = Omit<CallToAuthorize, 'principal'> & { operation: string };
type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * SQS actions by operation. Batch operations are authorized as their single action (SQS Developer Guide, "Amazon
 * SQS API permissions: Actions and resource reference"); producers need kms:GenerateDataKey and kms:Decrypt,
 * consumers kms:Decrypt on an SSE-KMS queue's key (SQS Developer Guide, "Configure KMS permissions for Amazon SQS").
 */
const SQS_ACTION: Record<string, string> = { SendMessageBatch: 'SendMessage', DeleteMessageBatch: 'DeleteMessage', ChangeMessageVisibilityBatch: 'ChangeMessageVisibility' };
const SQS_KMS: Record<string, string[]> = { SendMessage: ['kms:GenerateDataKey', 'kms:Decrypt'], ReceiveMessage: ['kms:Decrypt'] };

export function sqsCall(operation: string, input: Json, o: { region: string; accountId: string }): RequestCall {
  const action = SQS_ACTION[operation] ?? operation;
  const name = input.QueueUrl !== undefined ? queueNameFromUrl(str(input.QueueUrl)) : str(input.QueueName);
  // ListQueues and the account-wide move-task calls name no queue: the resource is `*` (service authorization reference).
  const resource = name ? `arn:aws:sqs:${o.region}:${o.accountId}:${name}` : '*';
  const kms = SQS_KMS[action];
  return {
    operation,
    action: `sqs:${action}`,
    resource,
    ...(kms ? { kms: { actions: kms, viaService: `sqs.${o.region}.amazonaws.com`, context: { 'kms:EncryptionContext:aws:sqs:arn': resource } } } : {}),
  };
}

export function sqsJsonCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const operation = (req.target ?? '').replace(/^AmazonSQS\./, '');
  const input = jsonBody(req);
  // The service answers a malformed body itself; it reads the same parse.
  return input ? sqsCall(operation, input, o) : undefined;
}

const QUEUE_PATH = /^\/\d{12}\/([A-Za-z0-9_-]+)\/?$/;

export function sqsQueryCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const params = new Map(queryParams(req.query, req.body, String(req.headers['content-type'] ?? '')));
  const operation = params.get('Action');
  if (!operation) return undefined;
  const byPath = QUEUE_PATH.exec(req.path);
  const input: Json = { QueueUrl: params.get('QueueUrl') ?? (byPath ? `/${byPath[1]}` : undefined), QueueName: params.get('QueueName') };
  if (input.QueueUrl === undefined) delete input.QueueUrl;
  return sqsCall(operation, input, o);
}

export function firehoseCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const operation = (req.target ?? '').replace(/^Firehose_20150804\./, '');
  const input = jsonBody(req);
  // The service answers a malformed body itself; it reads the same parse.
  if (!input) return undefined;
  const name = str(input.DeliveryStreamName);
  return { operation, action: `firehose:${operation}`, resource: name ? `arn:aws:firehose:${o.region}:${o.accountId}:deliverystream/${name}` : '*' };
}

const LAMBDA_ROUTES: Array<[RegExp, string, string, (m: RegExpExecArray, o: { region: string; accountId: string }) => string]> = [
  [/^\/2015-03-31\/event-source-mappings\/?$/, 'GET', 'ListEventSourceMappings', () => '*'],
  [/^\/2015-03-31\/event-source-mappings\/?$/, 'POST', 'CreateEventSourceMapping', () => '*'],
  [/^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/, 'GET', 'GetEventSourceMapping', (m, o) => `arn:aws:lambda:${o.region}:${o.accountId}:event-source-mapping:${decodeURIComponent(m[1]!)}`],
  [/^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/, 'PUT', 'UpdateEventSourceMapping', (m, o) => `arn:aws:lambda:${o.region}:${o.accountId}:event-source-mapping:${decodeURIComponent(m[1]!)}`],
  [/^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/, 'DELETE', 'DeleteEventSourceMapping', (m, o) => `arn:aws:lambda:${o.region}:${o.accountId}:event-source-mapping:${decodeURIComponent(m[1]!)}`],
  [/^\/2015-03-31\/functions\/?$/, 'GET', 'ListFunctions', () => '*'],
  [/^\/2015-03-31\/functions\/([^/]+)\/?$/, 'GET', 'GetFunction', (m, o) => functionArn(m[1]!, o)],
  [/^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, 'GET', 'GetFunctionConfiguration', (m, o) => functionArn(m[1]!, o)],
  [/^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, 'POST', 'InvokeFunction', (m, o) => functionArn(m[1]!, o)],
];

/** A function name, partial or full ARN, qualifier dropped: the unqualified function ARN. */
export function functionArn(nameOrArn: string, o: { region: string; accountId: string }): string {
  const v = decodeURIComponent(nameOrArn);
  const name = v.startsWith('arn:') ? v.split(':')[6]! : v.split(':')[0]!;
  return `arn:aws:lambda:${o.region}:${o.accountId}:function:${name}`;
}

export function lambdaCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  for (const [pattern, method, operation, resource] of LAMBDA_ROUTES) {
    const m = pattern.exec(req.path);
    if (m && req.method === method) return { operation, action: `lambda:${operation}`, resource: resource(m, o) };
  }
  return undefined;
}

/** Publishing to an SSE-KMS topic needs kms:GenerateDataKey* and kms:Decrypt (SNS Developer Guide, "Data encryption": key management). */
export function snsCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const params = new URLSearchParams(req.body.toString('utf8'));
  for (const [k, v] of req.query) if (!params.has(k)) params.set(k, v);
  const operation = params.get('Action');
  if (!operation) return undefined;
  const resource = params.get('TopicArn') ?? params.get('TargetArn') ?? (params.get('Name') ? `arn:aws:sns:${o.region}:${o.accountId}:${params.get('Name')}` : '*');
  return {
    operation,
    action: `sns:${operation}`,
    resource,
    // The default topic policy's condition: the topic's owner account, the caller's locally (one account).
    keys: { 'AWS:SourceOwner': o.accountId },
    ...(operation === 'Publish' ? { kms: { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], viaService: `sns.${o.region}.amazonaws.com` } } : {}),
  };
}

/** CloudWatch reads of the account's alarms (Service Authorization Reference, CloudWatch: `cloudwatch:DescribeAlarms` on `alarm`). */
export function cloudwatchCall(req: AwsRequest, o: { region: string; accountId: string }): RequestCall | undefined {
  const call = cloudWatchCall(req);
  return call ? { operation: call.operation, action: `cloudwatch:${call.operation}`, resource: `arn:aws:cloudwatch:${o.region}:${o.accountId}:alarm:*` } : undefined;
}
