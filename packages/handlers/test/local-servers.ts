import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableKind } from '@lean-ops/contracts';
// dynalite and s3rver ship no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package (no declarations to import)
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package (no declarations to import)
const S3rver = require('s3rver');

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** s3rver verifies SigV4 against this fixed key pair (as the local stack's S3 does); dynalite accepts any. */
export const S3RVER_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

export function useTestCredentials(): void {
  Object.assign(process.env, S3RVER_ENV);
  delete process.env.AWS_PROFILE;
}

export async function startDynalite(): Promise<Running> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const NOT_IMPLEMENTED = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NotImplemented</Code><Message>A parameter you provided implies functionality that is not implemented</Message></Error>`;

/**
 * s3rver, as the local stack runs it. s3rver means `?versioning` to answer 501 NotImplemented like its other bucket
 * subresources, but leaves it out of its subresource list, so GET lists objects and PUT tries to create the bucket;
 * this answers 501 as intended, so a client sees "not supported" instead of a wrong answer.
 */
export async function startS3rver(buckets: string[] = []): Promise<Running & { directory: string }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  server.middleware.unshift(async (ctx: { query: Record<string, unknown>; status: number; body: string; type: string }, next: () => Promise<void>) => {
    if (!('versioning' in ctx.query)) return next();
    ctx.status = 501;
    ctx.type = 'application/xml';
    ctx.body = NOT_IMPLEMENTED;
  });
  const { port } = (await server.run()) as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    directory,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server.httpServer as Server | undefined)?.closeAllConnections();
      });
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Creates the pipeline's tables with the contract keys. */
export async function createTables(endpoint: string, names: Partial<Record<TableKind, string>>): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint });
  for (const [kind, name] of Object.entries(names) as Array<[TableKind, string]>) {
    await ddb.send(new CreateTableCommand(createTableInput(kind, name)));
  }
  ddb.destroy();
}
