import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ensureDesCipher } from './des-compat';
// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const S3rver = require('s3rver');

/** s3rver checks SigV4 signatures against this fixed key pair; clients must use it. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface EmbeddedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartS3Options {
  /** Objects are kept as files under this directory (survives restarts). */
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  buckets: string[];
}

/**
 * An S3-compatible server (s3rver) on 127.0.0.1. Clients need:
 * - credentials S3RVER / S3RVER (S3RVER_CREDENTIALS),
 * - `forcePathStyle: true` (the endpoint is an IP, so virtual-hosted buckets cannot resolve),
 * - `requestChecksumCalculation: 'WHEN_REQUIRED'` (s3rver predates the flexible checksums SDK v3 adds by default).
 * ListObjectsV2 continuation tokens use single DES, an OpenSSL 3 legacy cipher: the npm scripts start node with
 * `--openssl-legacy-provider`; without it ensureDesCipher() serves 'des' from 3DES so paged listings still work.
 */
export async function startS3(opts: StartS3Options): Promise<EmbeddedServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  ensureDesCipher();
  const server = new S3rver({
    port: opts.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory: opts.dataDir,
    configureBuckets: opts.buckets.map((name) => ({ name, configs: [] })),
  });
  const address: AddressInfo = await server.run();
  const port = address.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of SDK clients would hold the close open for seconds; a stopped endpoint drops them.
        (server.httpServer as import('node:http').Server | undefined)?.closeAllConnections();
      }),
  };
}
