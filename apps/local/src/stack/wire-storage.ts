import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, localS3Client, startInWorker } from '../embedded';
import type { GuardedProxy } from '../iam/guarded-proxy';
import type { StackAuthorization } from '../iam/stack-authorization';
import type { TableSpec } from '../plan/topology';
import type { Cleanup } from './cleanup';
import { RestartableServer } from './restartable-server';
import { createPlanTables } from './wire-tables';

export interface StackStorage {
  s3Server: RestartableServer;
  dynamoServer: RestartableServer;
  /** Clients of the stack itself (the administrator), straight to the embedded servers. */
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /** The endpoints the functions use: each call decided against the plan's policies first. */
  proxies: { s3: GuardedProxy; dynamodb: GuardedProxy };
}

/** Embedded S3 and DynamoDB, each on its own port and thread and restartable for outages, with the plan's buckets and tables. */
export async function startStorage(o: {
  dataDir: string;
  region: string;
  buckets: string[];
  tables: readonly TableSpec[];
  iam: StackAuthorization;
  cleanup: Cleanup;
  log: (line: string) => void;
}): Promise<StackStorage> {
  // A server thread that stops unasked is said on stderr and in the stack's log.
  const report = (line: string) => {
    process.stderr.write(`${line}\n`);
    o.log(line);
  };
  // Both threads load at once (each its own isolate: s3rver, dynalite and their modules); each that started is closed at cleanup.
  const started = await Promise.allSettled([
    new RestartableServer((port) => startInWorker({ kind: 's3', options: { dataDir: path.join(o.dataDir, 's3'), port, buckets: o.buckets } }, report)).open(),
    new RestartableServer((port) => startInWorker({ kind: 'dynamodb', options: { dataDir: path.join(o.dataDir, 'dynamodb'), port } }, report)).open(),
  ]);
  for (const r of started) if (r.status === 'fulfilled') o.cleanup.push(() => r.value.close());
  const [s3Server, dynamoServer] = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  const failure = started.find((r) => r.status === 'rejected');
  if (!s3Server || !dynamoServer) throw failure?.reason ?? new Error('embedded storage did not start');
  const s3 = localS3Client({ region: o.region, endpoint: s3Server.url, credentials: S3RVER_CREDENTIALS });
  const proxies = await o.iam.storageProxies({ s3: () => s3Server.url, dynamodb: () => dynamoServer.url });
  o.cleanup.push(() => Promise.all([proxies.s3.close(), proxies.dynamodb.close()]).then(() => undefined));
  const dynamodb = new DynamoDBClient({ region: o.region, endpoint: dynamoServer.url, credentials: S3RVER_CREDENTIALS });
  o.cleanup.push(() => {
    s3.destroy();
    dynamodb.destroy();
  });
  await createPlanTables(dynamodb, o.tables);
  return { s3Server, dynamoServer, s3, dynamodb, proxies };
}
