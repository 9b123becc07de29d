import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonError, type AwsRequest, type AwsResponse, type AwsService } from './aws-service';
import { signingServiceOf } from './iam/credentials';

/** A plain route outside the AWS services, e.g. `POST /_lean-ops/drain`. */
export interface Route {
  method: string;
  path: string;
  handle(req: AwsRequest): Promise<AwsResponse>;
}

export interface ServerOptions {
  /** 0 or absent: any free port. */
  port?: number;
  services: AwsService[];
  extraRoutes?: Route[];
  /** Called with unexpected errors thrown by a service (the client gets a 500 in the AWS shape). */
  onError?: (err: unknown, req: AwsRequest) => void;
  /** Called for every request naming an operation no service emulates (the client gets the AWS error for it). */
  onUnsupported?: (service: string, operation: string) => void;
  /** Services served on endpoints of their own, by SigV4 signing name (`s3`, `dynamodb`): a call signed for one is told where. */
  elsewhere?: Record<string, { name: string; url: () => string }>;
}

/**
 * A call signed for a service this endpoint does not serve (a client pointed at the wrong endpoint): the error
 * names the endpoint that serves it, in the service's error shape (S3: the REST-XML `<Error>` document with code
 * InvalidRequest, 400, of the S3 API Reference "Error responses"; DynamoDB: its JSON 1.0 error). On AWS every
 * service has a host of its own and this cannot happen; the docs are silent, so the stricter choice: refuse the
 * call, never serve it.
 */
function wrongEndpoint(req: AwsRequest, elsewhere: ServerOptions['elsewhere']): AwsResponse | undefined {
  const signedFor = signingServiceOf(req.headers, req.query);
  const home = signedFor === undefined ? undefined : elsewhere?.[signedFor];
  if (!home) return undefined;
  const message = `${home.name} is served at ${home.url()} (the serve line's endpoints.${signedFor}), not at this endpoint.`;
  const unsupported = `${home.name} ${req.target ?? `${req.method} ${req.path}`}`;
  if (signedFor !== 's3') return { ...jsonError(400, 'UnknownOperationException', message), unsupported };
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidRequest</Code><Message>${escapeXml(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  return { status: 400, headers: { 'content-type': 'application/xml' }, body, unsupported };
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  addRoute(route: Route): void;
  close(): Promise<void>;
}

/** Unmatched requests still get the AWS error shape: JSON for JSON-protocol calls, XML for query-protocol calls. */
function unknownOperation(req: AwsRequest): AwsResponse {
  if (req.target) {
    const protocol = /^application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? '')) ? '1.1' : '1.0';
    return { ...jsonError(400, 'UnknownOperationException', `Operation ${req.target} is not supported.`, protocol), unsupported: req.target };
  }
  const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body.toString('utf8')) : undefined;
  const action = req.query.get('Action') ?? form?.get('Action');
  if (action) {
    const body =
      '<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>' +
      `<Message>The action ${escapeXml(action)} is not valid for this endpoint.</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return { status: 400, headers: { 'content-type': 'text/xml' }, body, unsupported: action };
  }
  return {
    unsupported: `${req.method} ${req.path}`,
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' },
    body: JSON.stringify({ __type: 'UnknownOperationException', message: `No service handles ${req.method} ${req.path}.` }),
  };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One AWS-compatible HTTP endpoint on 127.0.0.1: each request goes to the first service that matches it. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const routes: Route[] = [...(opts.extraRoutes ?? [])];

  const dispatch = async (req: AwsRequest): Promise<AwsResponse> => {
    const route = routes.find((r) => r.method === req.method && r.path === req.path);
    if (route) return route.handle(req);
    const service = opts.services.find((s) => s.matches(req));
    if (!service) {
      const res = wrongEndpoint(req, opts.elsewhere) ?? unknownOperation(req);
      opts.onUnsupported?.('(none)', res.unsupported ?? '');
      return res;
    }
    try {
      const res = await service.handle(req);
      if (res.unsupported !== undefined) opts.onUnsupported?.(service.name, res.unsupported);
      return res;
    } catch (err) {
      opts.onError?.(err, req);
      const message = err instanceof Error ? err.message : String(err);
      return { ...jsonError(500, 'InternalFailure', message), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalFailure' } };
    }
  };

  const server = http.createServer((inc, out) => {
    const chunks: Buffer[] = [];
    inc.on('data', (c: Buffer) => chunks.push(c));
    inc.on('error', () => out.destroy());
    inc.on('end', () => {
      const url = new URL(inc.url ?? '/', 'http://127.0.0.1');
      const target = inc.headers['x-amz-target'];
      const req: AwsRequest = {
        method: inc.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: inc.headers,
        body: Buffer.concat(chunks),
        target: typeof target === 'string' ? target : undefined,
      };
      dispatch(req)
        .catch((err: unknown): AwsResponse => jsonError(500, 'InternalFailure', err instanceof Error ? err.message : String(err)))
        .then((res) => {
          const requestId = res.headers?.['x-amzn-requestid'] ?? randomUUID();
          out.writeHead(res.status, {
            'x-amzn-requestid': requestId,
            'x-amz-request-id': requestId,
            'content-length': String(typeof res.body === 'string' ? Buffer.byteLength(res.body, 'utf8') : res.body.length),
            ...res.headers,
          });
          // A string body leaves with the head in one write; a Buffer would take a second (writev).
          out.end(res.body);
        });
    });
  });
  // Longer than the SDK's idle sockets live, so the server never closes a socket the client is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Long polls last up to 20 s and drain waits longer: no per-request timeout.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    addRoute: (r) => routes.push(r),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
