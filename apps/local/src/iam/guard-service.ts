import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import type { Authorizer } from './authorizer';
import { accessKeyIdOf } from './credentials';
import { deniedResponse } from './denied-responses';
import type { Principal } from './policy-types';
import { firehoseCall, lambdaCall, snsCall, sqsJsonCall, sqsQueryCall, type RequestCall } from './request-calls';

type CallOf = (req: AwsRequest, o: { region: string; accountId: string }) => RequestCall | undefined;
const CALLS: Record<string, CallOf> = { sqs: sqsJsonCall, 'sqs-query': sqsQueryCall, firehose: firehoseCall, lambda: lambdaCall, sns: snsCall };

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
      }
      return service.handle(req);
    },
  };
}

function queueUrlOf(req: AwsRequest): string | undefined {
  const m = /"QueueUrl"\s*:\s*"([^"]+)"/.exec(req.body.toString('utf8')) ?? /QueueUrl=([^&]+)/.exec(req.body.toString('utf8'));
  return m ? decodeURIComponent(m[1]!) : undefined;
}
