import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MetricStore } from '../cloudwatch';
import type { FaultRegistry } from '../faults';
import { FirehoseService } from '../firehose';
import type { StackAuthorization } from '../iam/stack-authorization';
import type { StreamSpec } from '../plan/topology';
import type { CatalogWiring } from './wire-catalog';

/**
 * The plan's delivery streams. A StreamSpec carries every FirehoseStreamConfig field as synthesized (buffering,
 * retry, error output). Each stream writes its table with its role's credentials: every Glue and S3 call is decided
 * by the policies; its error output too.
 */
export function createFirehose(o: {
  region: string;
  dataDir: string;
  streams: readonly StreamSpec[];
  /** The stream whose role writes the error output (the RAW table's: error objects do not name their stream). */
  errorWriter: StreamSpec;
  catalog: CatalogWiring;
  iam: StackAuthorization;
  s3: S3Client;
  faults: FaultRegistry;
  metrics: MetricStore;
  log: (line: string) => void;
}): FirehoseService {
  return new FirehoseService({
    region: o.region,
    dataDir: o.dataDir,
    streams: o.streams.map((st) => ({
      ...st,
      tableOperations: () => o.catalog.table(o.iam.functionCredentials(st.name, st.roleArn).AWS_ACCESS_KEY_ID, st),
      onCommit: () => void o.catalog.mirror.sync().catch((err: unknown) => o.log(`warehouse mirror: ${String(err)}`)),
    })),
    writeErrorObject: async (bucket, key, body) => {
      o.iam.firehoseWrite(o.errorWriter, bucket, key);
      await o.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
    },
    faults: o.faults,
    onMetric: (dp) => o.metrics.put(dp),
    onError: (err) => o.log(`firehose: ${String(err)}`),
  });
}
