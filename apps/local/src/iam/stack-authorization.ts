import type { AwsService } from '../aws-service';
import { Authorizer, type DeniedCall } from './authorizer';
import { functionAccessKeyId } from './credentials';
import { guardService, Principals } from './guard-service';
import type { IamPlan } from './iam-plan';
import { authorizeAlarmPublish, authorizeFirehoseWrite, authorizeServiceInvoke, checkMapping, functionPrincipal } from './service-calls';

export interface StackAuthorization {
  /** The endpoint's services, each behind the policy check. */
  guard(services: AwsService[]): AwsService[];
  /** The AWS_ACCESS_KEY_ID a function runs with: a key id that names its role. */
  functionCredentials(functionName: string, roleArn: string): Record<string, string>;
  checkMapping(functionName: string, roleArn: string, queueName: string): void;
  serviceInvoke(service: string, functionNameOrArn: string, sourceArn: string): void;
  scheduleInvoke(ruleArn: string, targetArn: string): void;
  /** True when the alarm's publish is denied (logged and counted; nothing is published). */
  alarmPublish(topicArn: string, notification: string): boolean;
  firehoseWrite(streamName: string, roleArn: string, bucket: string, key: string): void;
  denied(): DeniedCall[];
}

/**
 * IAM for the whole local stack: the plan's policies, the principal behind each access key, and the checks of the
 * calls services make themselves. The user's own credentials (any key no function holds) act as administrator.
 */
export function stackAuthorization(plan: IamPlan, o: { log: (line: string) => void; adminAccessKeyId: string }): StackAuthorization {
  const auth = new Authorizer(plan, o.log);
  const principals = new Principals({ kind: 'admin', arn: `arn:aws:iam::${plan.accountId}:user/${o.adminAccessKeyId}` });
  return {
    guard: (services) => services.map((s) => guardService(s, auth, principals, plan.region)),
    functionCredentials(functionName, roleArn) {
      const accessKeyId = functionAccessKeyId(functionName, roleArn);
      principals.register(accessKeyId, functionPrincipal(functionName, roleArn));
      // Only the key id names the principal; the secret stays the one every local endpoint accepts.
      return { AWS_ACCESS_KEY_ID: accessKeyId };
    },
    checkMapping: (fn, role, queue) => checkMapping(auth, fn, role, queue),
    serviceInvoke: (service, fn, source) => authorizeServiceInvoke(auth, service, fn, source),
    scheduleInvoke: (rule, target) => authorizeServiceInvoke(auth, 'events.amazonaws.com', target, rule),
    alarmPublish(topicArn, notification) {
      const alarmArn = (JSON.parse(notification) as { AlarmArn?: string }).AlarmArn ?? '';
      return authorizeAlarmPublish(auth, topicArn, alarmArn) !== undefined;
    },
    firehoseWrite: (stream, role, bucket, key) => authorizeFirehoseWrite(auth, stream, role, bucket, key),
    denied: () => auth.denied(),
  };
}
