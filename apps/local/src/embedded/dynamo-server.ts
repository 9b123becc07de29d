import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmbeddedServer } from './s3-server';
// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package (no declarations to import)
const dynalite = require('dynalite');

export interface StartDynamoOptions {
  /** LevelDB directory: tables and items survive restarts. */
  dataDir: string;
  port?: number;
}

/** A DynamoDB-compatible server (dynalite, persisted in LevelDB) on 127.0.0.1. Any credentials are accepted. */
export async function startDynamo(opts: StartDynamoOptions): Promise<EmbeddedServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  // Tables become ACTIVE at once: DynamoDB's CREATING phase only slows a local start.
  const server: Server = dynalite({ path: opts.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of SDK clients would hold the close (and the LevelDB lock) open for seconds.
        server.closeAllConnections();
      }),
  };
}
