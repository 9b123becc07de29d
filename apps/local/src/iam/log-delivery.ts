import type { Authorizer, Denial } from './authorizer';
import { functionPrincipal } from './service-calls';

/**
 * The stream Lambda names for an execution environment: `YYYY/MM/DD/[$LATEST]<id>` (Lambda Developer Guide,
 * "Sending Lambda function logs to CloudWatch Logs"). Any stream of the group is matched the same way by
 * `log-group:<name>:*`, the form the CloudWatch Logs User Guide gives for policies.
 */
export function logStreamArn(logGroupArn: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${logGroupArn}:log-stream:${day}/[$LATEST]local`;
}

/**
 * Whether a function's log lines reach CloudWatch Logs, or the denial that stops them. Lambda writes them with the
 * execution role: logs:CreateLogStream and logs:PutLogEvents on the group's streams (Lambda Developer Guide,
 * "Sending Lambda function logs to CloudWatch Logs"; the log-stream ARN form from the CloudWatch Logs User Guide,
 * "Overview of managing access permissions to your CloudWatch Logs resources"). A group encrypted with a customer
 * managed key also needs the key policy to let `logs.<region>.amazonaws.com` use it for that group, with the group's
 * ARN as encryption context (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 * Without them the lines are lost on AWS, and with them every metric a function publishes in EMF: alarms on those
 * metrics never see data.
 */
export function logDeliveryDenial(auth: Authorizer, functionName: string, roleArn: string, logGroupArn: string): Denial | undefined {
  const principal = functionPrincipal(functionName, roleArn);
  const stream = logStreamArn(logGroupArn);
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
    const denial = auth.authorize({ principal, action, resource: stream });
    if (denial) return denial;
  }
  const key = auth.plan.encryptedWith.get(logGroupArn);
  if (!key) return undefined;
  return auth.authorize({
    principal: { kind: 'service', service: `logs.${auth.plan.region}.amazonaws.com` },
    action: 'kms:GenerateDataKey',
    resource: key,
    keys: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn },
  });
}
