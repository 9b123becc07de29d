import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { ensureDesCipher } from './des-compat';
// s3rver ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package (no declarations to import)
const S3rver = require('s3rver');

/** s3rver's own key pair: the functions use it (their execution role's credentials on AWS). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverAccount {
  accessKeys: Map<string, string>;
}

/**
 * s3rver knows one access key (S3RVER) and refuses any other with InvalidAccessKeyId. The other local endpoints
 * take whatever credentials a client has, so S3 maps every key id to s3rver's one account too; its secret is not
 * checked (s3rver never verifies SigV4 signatures, and `allowMismatchedSignatures` covers SigV2).
 */
function acceptAnyAccessKey(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package (no declarations to import)
  const AWSAccount = require('s3rver/lib/models/account') as { registry: Map<string, S3rverAccount>; DUMMY_ACCOUNT: S3rverAccount };
  const { registry, DUMMY_ACCOUNT: account } = AWSAccount;
  if ((registry as { anyKey?: boolean }).anyKey) return;
  const knownAccount = registry.get.bind(registry);
  registry.get = (key: string) => knownAccount(key) ?? account;
  const knownSecret = account.accessKeys.get.bind(account.accessKeys);
  account.accessKeys.get = (key: string) => knownSecret(key) ?? S3RVER_CREDENTIALS.secretAccessKey;
  (registry as { anyKey?: boolean }).anyKey = true;
}

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

/** A client of s3rver, or of the guarded endpoint in front of it, set up as startS3 documents below. */
export function localS3Client(o: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } }): S3Client {
  return new S3Client({ ...o, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

/**
 * An S3-compatible server (s3rver) on 127.0.0.1. Clients need:
 * - any credentials (S3RVER_CREDENTIALS are s3rver's own),
 * - `forcePathStyle: true` (the endpoint is an IP, so virtual-hosted buckets cannot resolve),
 * - `requestChecksumCalculation: 'WHEN_REQUIRED'` (s3rver predates the flexible checksums SDK v3 adds by default).
 * ListObjectsV2 continuation tokens use single DES, an OpenSSL 3 legacy cipher: the npm scripts start node with
 * `--openssl-legacy-provider`; without it ensureDesCipher() serves 'des' from 3DES so paged listings still work.
 */
export async function startS3(opts: StartS3Options): Promise<EmbeddedServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  ensureDesCipher();
  acceptAnyAccessKey();
  const server = new S3rver({
    allowMismatchedSignatures: true,
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
