import { randomBytes } from 'node:crypto';
import { FIREHOSE_ERROR_OUTPUT_PREFIX, FIREHOSE_ICEBERG_METRICS, FIREHOSE_METRICS_NAMESPACE } from '@lean-ops/contracts';
import type { TableOperations } from '@lean-ops/iceberg';
import { jsonBody, jsonError, jsonOk, type AwsRequest, type AwsResponse, type AwsService } from '../aws-service';
import type { Datapoint } from '../cloudwatch/emf';
import { IcebergDeliveryStream, streamPaths, type DeliveryMetrics } from './delivery-stream';
import { checkPutRecord, checkPutRecordBatch, type ApiError } from './firehose-limits';
import { decideCall, messageIdOf, type FaultLookup, type FirehoseChaos } from './firehose-faults';
import { tryParse } from './record-rules';

const TARGET_PREFIX = 'Firehose_20150804.';

/** In-process metric name -> the name Firehose publishes in CloudWatch. */
const CLOUDWATCH_NAME: Record<keyof DeliveryMetrics, string> = {
  IncomingRowCount: FIREHOSE_ICEBERG_METRICS.incomingRows,
  SuccessfulRowCount: FIREHOSE_ICEBERG_METRICS.successfulRows,
  FailedRowCount: FIREHOSE_ICEBERG_METRICS.failedRows,
};
const PROTOCOL = '1.1' as const;

export interface FirehoseStreamConfig {
  name: string;
  database: string;
  table: string;
  bufferSizeMb: number;
  bufferIntervalSeconds: number;
  /** The stream's configured retry duration (shown by DescribeDeliveryStream). */
  retryDurationSeconds: number;
  /** The retry duration actually waited locally (shorter, so demos see the error output soon); default: retryDurationSeconds. */
  localRetryDurationSeconds?: number;
  /** Bucket of the error output (the archive bucket). */
  errorOutputBucket: string;
  errorOutputPrefix?: string;
  /** The table in the Glue catalog, its files in S3, reached with the stream's role; default: a table on disk under the data dir. */
  tableOperations?: () => TableOperations;
  /** Called after each commit to the stream's table. */
  onCommit?: () => void;
}

export interface FirehoseServiceOptions {
  region: string;
  accountId?: string;
  dataDir: string;
  streams: FirehoseStreamConfig[];
  /** S3 PutObject of an error-output object. */
  writeErrorObject: (bucket: string, key: string, body: string) => Promise<void>;
  faults?: FaultLookup;
  /** Receives the AWS/Firehose delivery metrics (the CloudWatch stand-in's MetricStore.put). */
  onMetric?: (dp: Datapoint) => void;
  onError?: (err: unknown) => void;
  tickMs?: number;
}

/**
 * Firehose stand-in (awsJson1_1, `X-Amz-Target: Firehose_20150804.<Action>`): PutRecord, PutRecordBatch,
 * DescribeDeliveryStream, ListDeliveryStreams, each stream delivering to its Iceberg table (in the Glue catalog with
 * its files in S3, as the stack wires it; or a file-system table under the data dir).
 * Faults are decided here from the fault registry and the chaos settings, never in the handlers.
 */
export class FirehoseService implements AwsService {
  readonly name = 'firehose';
  private readonly streams = new Map<string, { config: FirehoseStreamConfig; delivery: IcebergDeliveryStream; created: number }>();
  private chaos: FirehoseChaos = {};
  private readonly accountId: string;
  private calls = 0;

  constructor(private readonly o: FirehoseServiceOptions) {
    this.accountId = o.accountId ?? '000000000000';
    for (const config of o.streams) {
      const paths = streamPaths(o.dataDir, config.database, config.table, config.name);
      const delivery = new IcebergDeliveryStream({
        streamName: config.name,
        tableLocation: paths.tableLocation,
        journalDir: paths.journalDir,
        bufferSizeMb: config.bufferSizeMb,
        bufferIntervalSeconds: config.bufferIntervalSeconds,
        retryDurationSeconds: config.localRetryDurationSeconds ?? config.retryDurationSeconds,
        errorOutputPrefix: config.errorOutputPrefix ?? FIREHOSE_ERROR_OUTPUT_PREFIX,
        writeErrorObject: (key, body) => o.writeErrorObject(config.errorOutputBucket, key, body),
        onMetric: (name, value) =>
          o.onMetric?.({ namespace: FIREHOSE_METRICS_NAMESPACE, name: CLOUDWATCH_NAME[name], dimensions: { DeliveryStreamName: config.name }, value, unit: 'Count', timestamp: Date.now() }),
        onError: o.onError,
        tableOperations: config.tableOperations,
        onCommit: config.onCommit,
        tickMs: o.tickMs,
      });
      this.streams.set(config.name, { config, delivery, created: Date.now() });
    }
  }

  /** Creates the tables and replays each stream's journal (acknowledged records from before a crash). */
  async open(): Promise<void> {
    for (const s of this.streams.values()) await s.delivery.open();
  }

  matches(req: AwsRequest): boolean {
    return req.target?.startsWith(TARGET_PREFIX) ?? false;
  }

  /** Runtime chaos settings (replace the previous ones). */
  setFaults(chaos: FirehoseChaos): void {
    this.chaos = { ...chaos };
  }

  async flush(): Promise<void> {
    for (const s of this.streams.values()) await s.delivery.flush();
  }

  /** Flushes and waits out the retry duration of records bound for the error output. */
  async drain(): Promise<void> {
    for (const s of this.streams.values()) await s.delivery.drain();
  }

  async close(): Promise<void> {
    for (const s of this.streams.values()) await s.delivery.close();
  }

  stats(streamName: string): ReturnType<IcebergDeliveryStream['stats']> & { calls: number } {
    const s = this.streams.get(streamName);
    if (!s) throw new Error(`unknown delivery stream ${streamName}`);
    return { ...s.delivery.stats(), calls: this.calls };
  }

  metrics(streamName: string): DeliveryMetrics {
    const { IncomingRowCount, SuccessfulRowCount, FailedRowCount } = this.stats(streamName);
    return { IncomingRowCount, SuccessfulRowCount, FailedRowCount };
  }

  delivery(streamName: string): IcebergDeliveryStream | undefined {
    return this.streams.get(streamName)?.delivery;
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const action = req.target!.slice(TARGET_PREFIX.length);
    // Parsed once: the authorization check in front of this service read the same body.
    const input = jsonBody(req);
    if (!input) return jsonError(400, 'SerializationException', 'Request body is not valid JSON', PROTOCOL);
    switch (action) {
      case 'PutRecordBatch':
        return this.putRecords(input, true);
      case 'PutRecord':
        return this.putRecords(input, false);
      case 'DescribeDeliveryStream':
        return this.describe(input);
      case 'ListDeliveryStreams':
        return jsonOk({ DeliveryStreamNames: [...this.streams.keys()].sort(), HasMoreDeliveryStreams: false }, PROTOCOL);
      default:
        return { ...jsonError(400, 'UnknownOperationException', `Operation ${action} is not supported by this endpoint`, PROTOCOL), unsupported: req.target };
    }
  }

  private streamOr404(input: Record<string, unknown>) {
    const name = typeof input.DeliveryStreamName === 'string' ? input.DeliveryStreamName : '';
    const s = this.streams.get(name);
    if (!s) return { error: jsonError(400, 'ResourceNotFoundException', `Firehose ${name} under account ${this.accountId} not found.`, PROTOCOL) };
    return { stream: s };
  }

  private async putRecords(input: Record<string, unknown>, batch: boolean): Promise<AwsResponse> {
    this.calls += 1;
    const found = this.streamOr404(input);
    if (!found.stream) return found.error;
    const raw = batch ? input.Records : [input.Record];
    if (!Array.isArray(raw) || raw.some((r) => !r || typeof (r as { Data?: unknown }).Data !== 'string')) {
      return apiError({ type: 'ValidationException', message: `1 validation error detected: Value null at '${batch ? 'records' : 'record'}' failed to satisfy constraint: Member must not be null` });
    }
    const datas = raw.map((r) => Buffer.from((r as { Data: string }).Data, 'base64'));
    const limit = batch ? checkPutRecordBatch(datas.map((d) => d.length)) : checkPutRecord(datas[0]?.length ?? 0);
    if (limit) return apiError(limit);

    const parsed = datas.map((d) => tryParse(d));
    const decision = decideCall(parsed.map(messageIdOf), this.o.faults, this.chaos, Date.now());
    if (decision.kind === 'reject') return jsonError(400, 'InvalidArgumentException', decision.message, PROTOCOL);
    if (decision.kind === 'throttle') return jsonError(503, 'ServiceUnavailableException', 'Slow down.', PROTOCOL);

    // decideCall answers each record in order (failures is aligned with datas)
    const accepted = datas.flatMap((data, i) => (decision.failures[i] ? [] : [{ index: i, data, parsed: parsed[i] }]));
    // Acknowledged only once journaled: put() writes the journal synchronously, one record per input in order.
    const journaled = accepted.length ? found.stream.delivery.put(accepted) : [];
    const recordIds = new Map(journaled.map((j, k) => [accepted[k]?.index, recordId(j.seq)]));

    if (!batch) {
      const f = decision.failures[0];
      if (f) return jsonError(503, 'ServiceUnavailableException', f.errorMessage, PROTOCOL);
      return jsonOk({ RecordId: recordIds.get(0), Encrypted: false }, PROTOCOL);
    }
    const responses = decision.failures.map((f, i) => (f ? { ErrorCode: f.errorCode, ErrorMessage: f.errorMessage } : { RecordId: recordIds.get(i) }));
    return jsonOk({ FailedPutCount: decision.failures.filter(Boolean).length, Encrypted: false, RequestResponses: responses }, PROTOCOL);
  }

  private describe(input: Record<string, unknown>): AwsResponse {
    const found = this.streamOr404(input);
    if (!found.stream) return found.error;
    const { config, created } = found.stream;
    const region = this.o.region;
    const role = `arn:aws:iam::${this.accountId}:role/${config.name}-role`;
    const buffering = { SizeInMBs: config.bufferSizeMb, IntervalInSeconds: config.bufferIntervalSeconds };
    return jsonOk(
      {
        DeliveryStreamDescription: {
          DeliveryStreamName: config.name,
          DeliveryStreamARN: `arn:aws:firehose:${region}:${this.accountId}:deliverystream/${config.name}`,
          DeliveryStreamStatus: 'ACTIVE',
          DeliveryStreamType: 'DirectPut',
          VersionId: '1',
          CreateTimestamp: created / 1000,
          DeliveryStreamEncryptionConfiguration: { Status: 'DISABLED' },
          Destinations: [
            {
              DestinationId: 'destinationId-000000000001',
              IcebergDestinationDescription: {
                DestinationTableConfigurationList: [{ DestinationDatabaseName: config.database, DestinationTableName: config.table }],
                BufferingHints: buffering,
                RetryOptions: { DurationInSeconds: config.retryDurationSeconds },
                S3BackupMode: 'FailedDataOnly',
                RoleARN: role,
                CatalogConfiguration: { CatalogARN: `arn:aws:glue:${region}:${this.accountId}:catalog` },
                S3DestinationDescription: {
                  RoleARN: role,
                  BucketARN: `arn:aws:s3:::${config.errorOutputBucket}`,
                  ErrorOutputPrefix: config.errorOutputPrefix ?? FIREHOSE_ERROR_OUTPUT_PREFIX,
                  BufferingHints: buffering,
                  CompressionFormat: 'UNCOMPRESSED',
                  EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
                },
              },
            },
          ],
          HasMoreDestinations: false,
        },
      },
      PROTOCOL,
    );
  }
}

function apiError(e: ApiError): AwsResponse {
  return jsonError(400, e.type, e.message, PROTOCOL);
}

/** Opaque, unique record id (Firehose's are long base64-like strings). */
function recordId(seq: number): string {
  return `${seq.toString(16).padStart(12, '0')}${randomBytes(30).toString('base64url')}`;
}
