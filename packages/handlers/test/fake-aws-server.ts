import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  target: string | undefined;
  body: string;
}

export interface FakeResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** A minimal HTTP endpoint for an AWS protocol; `route` answers each request (SigV4 is not checked). */
export async function startFakeServer(route: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const fr: FakeRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        target: req.headers['x-amz-target'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(fr);
      try {
        const out = await route(fr);
        res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
        res.end(out.body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: String(err) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export const jsonError = (type: string, message: string, status = 400): FakeResponse => ({
  status,
  body: JSON.stringify({ __type: type, message }),
  headers: { 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.1' },
});
