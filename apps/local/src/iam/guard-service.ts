import { queueNameFromArn } from '@lean-ops/contracts';
import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import type { Authorizer } from './authorizer';
import { accessKeyIdOf } from './credentials';
import { mappingRefusal } from './service-calls';
import { deniedResponse } from './denied-responses';
import type { Principal } from './policy-types';
import { glueCall } from './glue-calls';
import { cloudwatchCall, firehoseCall, functionArn, lambdaCall, snsCall, sqsJsonCall, sqsQueryCall, type RequestCall } from './request-calls';

type CallOf = (req: AwsRequest, o: { region: string; accountId: string }) => RequestCall | undefined;
const CALLS: Record<string, CallOf> = { sqs: sqsJsonCall, 'sqs-query': sqsQueryCall, firehose: firehoseCall, lambda: lambdaCall, sns: snsCall, glue: glueCall, cloudwatch: cloudwatchCall };

/** The administrator's principal ARN: an IAM user named by the access key the stack itself uses. */
export const adminUserArn = (accountId: string, accessKeyId: string): string => `arn:aws:iam::${accountId}:user/${accessKeyId}`;

/** Access key id -> principal: each function's key names its role; any other key is the user, the administrator. */
export class Principals {
  private readonly byKey = new Map<string, Principal>();

  constructor(private readonly admin: Principal) {}

  register(accessKeyId: string, principal: Principal): void {
    this.byKey.set(accessKeyId, principal);
  }

  of(req: AwsRequest): Principal {
    const key = accessKeyIdOf(req.headers, req.query);
    return (key && this.byKey.get(key)) || this.admin;
  }
}

/**
 * The service behind an authorization check: every request is decided against the plan's policies before the
 * service sees it; a denied one gets the service's error and never reaches it. Requests the check cannot read
 * (no operation) go through, and the service answers them as it would.
 */
export function guardService(service: AwsService, auth: Authorizer, principals: Principals, region: string): AwsService {
  const callOf = CALLS[service.name];
  if (!callOf) throw new Error(`no authorization rules for the ${service.name} endpoint`);
  return {
    name: service.name,
    matches: (req) => service.matches(req),
    handle: async (req): Promise<AwsResponse> => {
      const call = callOf(req, { region, accountId: auth.accountId });
      if (call) {
        const denial = auth.authorize({ ...call, principal: principals.of(req) });
        if (denial) return deniedResponse(service.name, denial, { url: queueUrlOf(req) });
        if (call.operation === 'CreateEventSourceMapping') return mappingRoleRefusal(auth, req, region) ?? service.handle(req);
      }
      return service.handle(req);
    },
  };
}

function queueUrlOf(req: AwsRequest): string | undefined {
  const m = /"QueueUrl"\s*:\s*"([^"]+)"/.exec(req.body.toString('utf8')) ?? /QueueUrl=([^&]+)/.exec(req.body.toString('utf8'));
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/**
 * CreateEventSourceMapping refuses a function whose execution role cannot poll the queue: InvalidParameterValueException
 * (Lambda API reference, CreateEventSourceMapping errors; "Using Lambda with Amazon SQS": execution role permissions).
 */
function mappingRoleRefusal(auth: Authorizer, req: AwsRequest, region: string): AwsResponse | undefined {
  let input: { FunctionName?: unknown; EventSourceArn?: unknown };
  try {
    input = JSON.parse(req.body.toString('utf8')) as typeof input;
  } catch {
    return undefined;
  }
  const fn = functionArn(String(input.FunctionName ?? ''), { region, accountId: auth.accountId }).split(':')[6]!;
  const role = auth.plan.functionRoles.get(fn);
  const source = String(input.EventSourceArn ?? '');
  if (!role || !source.startsWith('arn:aws:sqs:')) return undefined;
  const refused = mappingRefusal(auth, fn, role, queueNameFromArn(source));
  if (!refused) return undefined;
  return {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidParameterValueException' },
    body: JSON.stringify({ Type: 'User', Message: refused.message, message: refused.message }),
  };
}
