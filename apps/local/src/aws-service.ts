import type { IncomingHttpHeaders } from 'node:http';

/**
 * One AWS service emulated behind the local stack's single HTTP endpoint. The router (server.ts)
 * hands each request to the first service whose `matches` accepts it.
 */
export interface AwsRequest {
  method: string;
  /** Path without the query string, e.g. `/2015-03-31/event-source-mappings/`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `X-Amz-Target` header for JSON-protocol services (e.g. `AmazonSQS.SendMessage`), if any. */
  target?: string;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Set when the request named an operation the service does not emulate: the router logs it. */
  unsupported?: string;
}

export interface AwsService {
  /** Short name used in logs and errors (`sqs`, `firehose`, `lambda`, `sns`, `cloudwatch`). */
  readonly name: string;
  matches(req: AwsRequest): boolean;
  handle(req: AwsRequest): Promise<AwsResponse>;
}

/** AWS JSON-protocol error shape (awsJson1_0 / awsJson1_1): `__type` plus `message`. */
export function jsonError(status: number, type: string, message: string, protocol: '1.0' | '1.1' = '1.0'): AwsResponse {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${protocol}`, 'x-amzn-query-error': `${type};Sender` },
    body: JSON.stringify({ __type: type, message }),
  };
}

const parsedBodies = new WeakMap<AwsRequest, Record<string, unknown> | null>();

/**
 * The request's JSON body, parsed once for every reader (the authorization check, then the service); `{}` for an
 * empty body, undefined when it is not JSON. Readers must not change it.
 */
export function jsonBody(req: AwsRequest): Record<string, unknown> | undefined {
  let body = parsedBodies.get(req);
  if (body === undefined) {
    try {
      body = req.body.length > 0 ? ((JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) ?? {}) : {};
    } catch {
      body = null;
    }
    parsedBodies.set(req, body);
  }
  return body ?? undefined;
}

export function jsonOk(payload: unknown, protocol: '1.0' | '1.1' = '1.0'): AwsResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${protocol}` }, body: JSON.stringify(payload ?? {}) };
}
