import * as path from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import { GLUE_PARAMETERS, glueTable, parseS3Location, s3FileIO, type TableOperations } from '@lean-ops/iceberg';
import { S3RVER_CREDENTIALS, WarehouseMirror, localS3Client } from '../embedded';
import { CatalogStore, GlueCatalog, GlueService, createPlanCatalog } from '../glue';
import { adminUserArn } from '../iam/guard-service';
import type { Topology } from '../plan/topology';

export interface CatalogWiring {
  service: GlueService;
  /** The RAW table's location, `s3://<warehouse bucket>/warehouse/<database>/<table>/` (Glue StorageDescriptor.Location). */
  warehouse: string;
  /** The mirror of the table on disk (`<dataDir>/warehouse/<database>/<table>`). */
  warehousePath: string;
  mirror: WarehouseMirror;
  /** A table as a principal reaches it: Glue through the endpoint, files through the S3 endpoint, its credentials. */
  table(accessKeyId: string, t: { database: string; table: string }): TableOperations;
  close(): void;
}

export interface CatalogWiringOptions {
  dataDir: string;
  region: string;
  accountId: string;
  topology: Topology;
  /** The stream whose table is the RAW table. */
  stream: { database: string; table: string };
  /** s3rver, as the administrator: Glue writes a new Iceberg table's first metadata with the creator's credentials. */
  adminS3: S3Client;
  s3Dir: string;
  /** The AWS endpoint (Glue) and the S3 endpoint that decides each call (known once they listen). */
  endpoint: () => string;
  s3Endpoint: () => string;
}

/** The Glue Data Catalog of the plan, the clients that reach the RAW table through it, and its mirror on disk. */
export async function wireCatalog(o: CatalogWiringOptions): Promise<CatalogWiring> {
  const catalog = new GlueCatalog(new CatalogStore(o.dataDir), o.accountId);
  await createPlanCatalog(catalog, o.topology.glue, { io: s3FileIO(o.adminS3), createdBy: adminUserArn(o.accountId, S3RVER_CREDENTIALS.accessKeyId) });
  const raw = catalog.getTable(o.stream.database, o.stream.table);
  const warehouse = raw.StorageDescriptor?.Location ?? '';
  const { Bucket, Key } = parseS3Location(warehouse);
  const warehousePath = path.join(o.dataDir, 'warehouse', o.stream.database, o.stream.table);
  const mirror = new WarehouseMirror({
    s3Dir: o.s3Dir,
    bucket: Bucket,
    prefix: Key,
    dir: warehousePath,
    currentMetadata: () => catalog.getTable(o.stream.database, o.stream.table).Parameters[GLUE_PARAMETERS.metadataLocation],
  });
  const clients: Array<{ destroy(): void }> = [];
  return {
    service: new GlueService(catalog),
    warehouse,
    warehousePath,
    mirror,
    table(accessKeyId, t) {
      const credentials = { accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey };
      const glue = new GlueClient({ region: o.region, endpoint: o.endpoint(), credentials });
      const s3 = localS3Client({ region: o.region, endpoint: o.s3Endpoint(), credentials });
      clients.push(glue, s3);
      return glueTable({ glue, io: s3FileIO(s3), database: t.database, table: t.table, catalogId: o.accountId });
    },
    close: () => clients.splice(0).forEach((c) => c.destroy()),
  };
}
