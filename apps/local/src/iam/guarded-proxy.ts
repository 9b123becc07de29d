import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ProxyDenial {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface GuardedProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * An endpoint in front of an embedded server (s3rver, dynalite) that decides each request before passing it on
 * unchanged. When the server behind it is down the client's connection is dropped, as an unreachable endpoint does.
 */
export async function startGuardedProxy(o: { upstream: () => string; check: (req: ProxyRequest) => ProxyDenial | undefined }): Promise<GuardedProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((inc, out) => {
    const chunks: Buffer[] = [];
    inc.on('data', (c: Buffer) => chunks.push(c));
    inc.on('error', () => out.destroy());
    inc.on('end', () => {
      const url = new URL(inc.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const denial = o.check({ method: inc.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: inc.headers, body });
      if (denial) {
        out.writeHead(denial.status, { ...denial.headers, 'content-length': String(Buffer.byteLength(denial.body)) });
        out.end(denial.body);
        return;
      }
      const upstream = new URL(o.upstream());
      const fwd = http.request({ host: upstream.hostname, port: upstream.port, method: inc.method, path: inc.url, headers: inc.headers, agent }, (res) => {
        out.writeHead(res.statusCode ?? 502, res.headers);
        res.pipe(out);
      });
      fwd.on('error', () => out.destroy());
      fwd.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
