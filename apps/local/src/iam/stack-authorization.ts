import type { AwsService } from '../aws-service';
import { Authorizer, type AllowedCalls, type DeniedCall } from './authorizer';
import { functionAccessKeyId } from './credentials';
import { deniedResponse } from './denied-responses';
import { startGuardedProxy, type GuardedProxy, type ProxyRequest } from './guarded-proxy';
import { adminUserArn, guardService, Principals } from './guard-service';
import type { IamPlan } from './iam-plan';
import { logDeliveryDenial } from './log-delivery';
import { dynamoCalls, s3Call } from './storage-calls';
import { authorizeAlarmPublish, authorizeFirehoseWrite, authorizeServiceInvoke, checkMapping, functionPrincipal } from './service-calls';

export interface StackAuthorization {
  /** The endpoint's services, each behind the policy check. */
  guard(services: AwsService[]): AwsService[];
  /** The AWS_ACCESS_KEY_ID a function runs with: a key id that names its role. */
  functionCredentials(functionName: string, roleArn: string): { AWS_ACCESS_KEY_ID: string };
  checkMapping(functionName: string, roleArn: string, queueName: string): void;
  serviceInvoke(service: string, functionNameOrArn: string, sourceArn: string): void;
  scheduleInvoke(ruleArn: string, targetArn: string): void;
  /** True when the alarm's publish is denied (logged and counted; nothing is published). */
  alarmPublish(topicArn: string, notification: string): boolean;
  /** Whether the function's log lines (and the EMF metrics in them) reach CloudWatch Logs; each refused line is counted. */
  logsDelivered(functionName: string): boolean;
  firehoseWrite(stream: { name: string; roleArn: string }, bucket: string, key: string): void;
  /** Endpoints in front of the embedded S3 and DynamoDB that decide each call first (the functions use these). */
  storageProxies(upstream: { s3: () => string; dynamodb: () => string }): Promise<{ s3: GuardedProxy; dynamodb: GuardedProxy }>;
  denied(): DeniedCall[];
  allowed(): AllowedCalls[];
}

/**
 * IAM for the whole local stack: the plan's policies, the principal behind each access key, and the checks of the
 * calls services make themselves. The user's own credentials (any key no function holds) act as administrator.
 */
export function stackAuthorization(plan: IamPlan, o: { log: (line: string) => void; adminAccessKeyId: string }): StackAuthorization {
  const auth = new Authorizer(plan, o.log);
  const principals = new Principals({ kind: 'admin', arn: adminUserArn(plan.accountId, o.adminAccessKeyId) });
  // Decided once per function (policies do not change while the stack runs); the first refusal is logged.
  const logDenials = new Map<string, ReturnType<typeof logDeliveryDenial>>();
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
    logsDelivered(functionName) {
      if (!logDenials.has(functionName)) {
        const role = plan.functionRoles.get(functionName);
        const group = plan.functionLogGroups.get(functionName);
        logDenials.set(functionName, role && group ? logDeliveryDenial(auth, functionName, role, group) : undefined);
        return logDenials.get(functionName) === undefined;
      }
      const denial = logDenials.get(functionName);
      if (denial) auth.countDenied(denial);
      return denial === undefined;
    },
    firehoseWrite: (stream, bucket, key) => authorizeFirehoseWrite(auth, stream.name, stream.roleArn, bucket, key),
    async storageProxies(upstream) {
      const at = { region: plan.region, accountId: plan.accountId };
      const decide = (service: 's3' | 'dynamodb') => (req: ProxyRequest) => {
        const calls = service === 's3' ? [s3Call(req.method, req.path, req.query, at)] : dynamoCalls(String(req.headers['x-amz-target'] ?? ''), req.body, at);
        const principal = principals.of({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body });
        for (const call of calls ?? []) {
          const denial = call && auth.authorize({ ...call, principal });
          if (denial) return deniedResponse(service, denial, {}) as { status: number; headers: Record<string, string>; body: string };
        }
        return undefined;
      };
      const s3 = await startGuardedProxy({ upstream: upstream.s3, check: decide('s3') });
      const dynamodb = await startGuardedProxy({ upstream: upstream.dynamodb, check: decide('dynamodb') });
      return { s3, dynamodb };
    },
    denied: () => auth.denied(),
    allowed: () => auth.allowed(),
  };
}
