import { deniedMessage, type Authorizer, type Denial } from './authorizer';
import { functionArn, sqsCall } from './request-calls';
import type { Principal } from './policy-types';

/** Thrown where a service acting on its own (or for a function) is denied: the message is IAM's. */
export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
  constructor(readonly denial: Denial) {
    super(deniedMessage(denial));
  }
}

const at = (auth: Authorizer) => ({ region: auth.plan.region, accountId: auth.accountId });

/** Execution role session of a function (Lambda assumes the role with the function name as session name). */
export const functionPrincipal = (functionName: string, roleArn: string): Principal => ({ kind: 'role', roleArn, session: functionName });

/**
 * An SQS event source polls with the function's execution role: sqs:ReceiveMessage, sqs:DeleteMessage and
 * sqs:GetQueueAttributes, and kms:Decrypt for an SSE-KMS queue (Lambda Developer Guide, "Using Lambda with Amazon
 * SQS": execution role permissions). CreateEventSourceMapping refuses a role without them, so startup does too.
 */
export function checkMapping(auth: Authorizer, functionName: string, roleArn: string, queueName: string): void {
  const refused = mappingRefusal(auth, functionName, roleArn, queueName);
  if (refused) throw new Error(`event source mapping ${functionName} <- ${queueName}: InvalidParameterValueException: ${refused.message} (${deniedMessage(refused.denial)})`);
}

/** Lambda's refusal of a mapping whose function role cannot poll the queue, if it is refused. */
export function mappingRefusal(auth: Authorizer, functionName: string, roleArn: string, queueName: string): { message: string; denial: Denial } | undefined {
  for (const operation of ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes']) {
    const denial = auth.authorize({ ...sqsCall(operation, { QueueName: queueName }, at(auth)), principal: functionPrincipal(functionName, roleArn) });
    if (denial) return { message: `The provided execution role does not have permissions to call ${operation} on SQS`, denial };
  }
  return undefined;
}

/**
 * A service principal invoking a function (SNS delivering, an EventBridge rule firing) needs the function policy's
 * permission for that source (Lambda Developer Guide, "Granting function access to AWS services").
 */
export function authorizeServiceInvoke(auth: Authorizer, service: string, functionNameOrArn: string, sourceArn: string): void {
  const denial = auth.authorize({
    principal: { kind: 'service', service },
    action: 'lambda:InvokeFunction',
    resource: functionArn(functionNameOrArn, at(auth)),
    keys: { 'AWS:SourceArn': sourceArn, 'AWS:SourceAccount': auth.accountId },
  });
  if (denial) throw new AccessDeniedError(denial);
}

/**
 * A CloudWatch alarm action publishing to a topic: the topic policy must let cloudwatch.amazonaws.com publish, and
 * for an SSE-KMS topic the key policy must let it use the key (SNS Developer Guide, "Enable compatibility between
 * event sources from AWS services and encrypted topics"). Returns the denial instead of publishing.
 */
export function authorizeAlarmPublish(auth: Authorizer, topicArn: string, alarmArn: string): Denial | undefined {
  const { region, accountId } = at(auth);
  return auth.authorize({
    principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' },
    action: 'sns:Publish',
    resource: topicArn,
    keys: { 'aws:SourceAccount': accountId, 'aws:SourceArn': alarmArn, 'AWS:SourceOwner': accountId },
    kms: { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], viaService: `sns.${region}.amazonaws.com` },
  });
}

const s3Write = (region: string, resource: string) => ({
  action: 's3:PutObject',
  resource,
  kms: { actions: ['kms:GenerateDataKey'], viaService: `s3.${region}.amazonaws.com`, context: { 'kms:EncryptionContext:aws:s3:arn': resource } },
});

/** Firehose writes its error output with the stream's role (Firehose Developer Guide, "Controlling access with Amazon Data Firehose"). */
export function authorizeFirehoseWrite(auth: Authorizer, streamName: string, roleArn: string, bucket: string, key: string): void {
  const denial = auth.authorize({ principal: functionPrincipal(streamName, roleArn), ...s3Write(auth.plan.region, `arn:aws:s3:::${bucket}/${key}`) });
  if (denial) throw new AccessDeniedError(denial);
}
