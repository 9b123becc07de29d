import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import { queryParams, readQueryRequest } from './query-input';
import { queryError, queryResult } from './query-output';
import { SqsError } from './sqs-errors';
import type { SqsService } from './sqs-service';

/** The API version Query clients name in every request (`Version=2012-11-05`). */
export const SQS_API_VERSION = '2012-11-05';
const QUEUE_PATH = /^\/\d{12}\/[A-Za-z0-9_-]{1,80}\/?$/;
const SIGNING_SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

/** The service a SigV4 request was signed for (`.../us-east-1/sqs/aws4_request`), from the header or a presigned query. */
export function signingService(req: AwsRequest): string | undefined {
  const auth = String(req.headers.authorization ?? '');
  const fromHeader = SIGNING_SCOPE.exec(auth)?.[1];
  if (fromHeader) return fromHeader;
  const credential = req.query.get('X-Amz-Credential');
  return credential ? credential.split('/')[3] : undefined;
}

/**
 * The SQS Query protocol (AWS CLI v2 before 2.13, boto3 before 1.28.x, SDK v3 before 3.446): `Action=SendMessage&...`
 * form-encoded or in a GET query string, answered in XML. AWS tells it from the JSON protocol by the absence of
 * `X-Amz-Target` and the form Content-Type; on the shared local endpoint the signing scope (`sqs`) or the
 * API version (`2012-11-05`) tells SQS from SNS, which speaks Query too.
 */
export class SqsQueryService implements AwsService {
  readonly name = 'sqs-query';
  private readonly actions: Set<string>;

  constructor(private readonly sqs: SqsService) {
    this.actions = new Set(sqs.actionNames());
  }

  matches(req: AwsRequest): boolean {
    if (req.target) return false;
    const contentType = String(req.headers['content-type'] ?? '');
    const form = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
    if (!form && !(req.method === 'GET' && req.query.has('Action'))) return false;
    const service = signingService(req);
    if (service) return service === 'sqs';
    const params = new Map(queryParams(req.query, req.body, contentType));
    const version = params.get('Version');
    return version ? version === SQS_API_VERSION : this.actions.has(params.get('Action') ?? '');
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const requestId = randomUUID();
    const withId = (res: AwsResponse): AwsResponse => ({ ...res, headers: { ...res.headers, 'x-amzn-requestid': requestId } });
    const { action, input } = readQueryRequest(queryParams(req.query, req.body, String(req.headers['content-type'] ?? '')));
    // Query requests may name the queue by their path instead (the API reference's examples: `.../123456789012/MyQueue/?Action=...`).
    const byPath = QUEUE_PATH.exec(req.path);
    if (input.QueueUrl === undefined && byPath) input.QueueUrl = `http://${req.headers.host ?? '127.0.0.1'}${byPath[0].replace(/\/$/, '')}`;
    if (!this.actions.has(action)) {
      // What SQS answers for an action it does not know, whatever the protocol version.
      return { ...withId(queryError(400, 'InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint.`, requestId)), unsupported: action || '(no Action)' };
    }
    try {
      return withId(queryResult(action, await this.sqs.invoke(action, input, req), requestId));
    } catch (e) {
      if (!(e instanceof SqsError)) throw e;
      // The Query protocol's wording for a missing queue (the JSON protocol drops the "wsdl version" part).
      const message = e.type === 'QueueDoesNotExist' ? 'The specified queue does not exist for this wsdl version.' : e.message;
      return withId(queryError(e.status, e.code, message, requestId));
    }
  }
}
