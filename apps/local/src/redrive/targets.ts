import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadEnvironment } from '@lean-ops/config';
import { names } from '@lean-ops/contracts';
import { RedriveUsageError, type RedriveArgs } from './args';

/** The part of the `serve` info line the tool reads. */
export interface StackInfo {
  endpoint: string;
  region: string;
  queues: Record<string, string>;
  dlq: string;
  buckets: { archive: string } & Record<string, string>;
  tables: { errors: string } & Record<string, string>;
  endpoints?: { s3?: string; dynamodb?: string };
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Where everything is, and the clients that reach it. */
export interface RedriveTargets {
  sqs: SQSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  lambda: LambdaClient;
  archiveBucket: string;
  errorsTable: string;
  dlqUrl: string;
  queueUrl(topic: string): Promise<string>;
  queueArn(queueUrl: string): Promise<string>;
  close(): void;
}

export function readStackInfo(file: string): StackInfo {
  const text = fs.readFileSync(file, 'utf8');
  const line = text.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) throw new RedriveUsageError(`${file}: no JSON line (save the first stdout line of \`npm run local -- serve\`)`);
  const info = JSON.parse(line) as StackInfo;
  for (const key of ['endpoint', 'queues', 'dlq', 'buckets', 'tables'] as const) {
    if (info[key] === undefined) throw new RedriveUsageError(`${file}: the stack info has no "${key}"`);
  }
  return info;
}

interface Names {
  region: string;
  namePrefix?: string;
  queues: Record<string, string>;
  dlq?: string;
  archiveBucket: string;
  errorsTable: string;
}

async function namesFromEnvFile(file: string): Promise<Names> {
  const config = await loadEnvironment(file);
  const account = config.allowedAccountIds[0];
  if (account === undefined) throw new RedriveUsageError(`${file}: allowed_account_ids names no account (the archive bucket's name holds one)`);
  return {
    region: config.region,
    namePrefix: config.namePrefix,
    queues: {},
    archiveBucket: names.bucket(config.namePrefix, 'archive', account),
    errorsTable: names.table(config.namePrefix, 'errors'),
  };
}

/** Stack info (local) first, then the env file (AWS: default credential chain, names from contracts). */
export async function resolveTargets(args: RedriveArgs, repoRoot: string): Promise<RedriveTargets> {
  const info = args.stackInfo ? readStackInfo(args.stackInfo) : undefined;
  const envFile = args.envFile ?? (info ? undefined : args.endpoint ? path.join(repoRoot, 'environments', 'local.tfvars') : undefined);
  if (!info && !envFile) throw new RedriveUsageError('say where the pipeline is: --env-file environments/<env>.tfvars (AWS), or --stack-info FILE / --endpoint URL (local stack)');
  const n: Names = info ? { region: info.region, queues: info.queues, dlq: info.dlq, archiveBucket: info.buckets.archive, errorsTable: info.tables.errors } : await namesFromEnvFile(envFile!);
  const region = args.region ?? n.region;
  const endpoint = args.endpoint ?? info?.endpoint;
  const s3Endpoint = args.s3Endpoint ?? info?.endpoints?.s3 ?? endpoint;
  const dynamodbEndpoint = args.dynamodbEndpoint ?? info?.endpoints?.dynamodb ?? endpoint;
  const credentials = info?.credentials ?? (endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  const common = { region, ...(credentials ? { credentials } : {}) };

  const sqs = new SQSClient({ ...common, ...(endpoint ? { endpoint } : {}) });
  // Local S3 servers answer path-style only; checksums only where the API needs them (S3-compatible stores).
  const s3 = new S3Client({
    ...common,
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const dynamodb = new DynamoDBClient({ ...common, ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}) });
  const lambda = new LambdaClient({ ...common, ...(endpoint ? { endpoint } : {}) });

  const urlOf = async (queueName: string) => {
    const r = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (!r.QueueUrl) throw new Error(`queue ${queueName} has no URL`);
    return r.QueueUrl;
  };
  const dlqUrl = n.dlq ?? (await urlOf(names.dlq(n.namePrefix!)));
  const arns = new Map<string, string>();

  return {
    sqs,
    s3,
    dynamodb,
    lambda,
    archiveBucket: n.archiveBucket,
    errorsTable: n.errorsTable,
    dlqUrl,
    async queueUrl(topic) {
      const known = n.queues[topic];
      if (known) return known;
      if (!n.namePrefix) throw new RedriveUsageError(`topic ${JSON.stringify(topic)} is not one of the stack's topics (${Object.keys(n.queues).join(', ')})`);
      return urlOf(names.topicQueue(n.namePrefix, topic));
    },
    async queueArn(queueUrl) {
      if (!arns.has(queueUrl)) {
        const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
        const arn = r.Attributes?.QueueArn;
        if (!arn) throw new Error(`${queueUrl} has no QueueArn attribute`);
        arns.set(queueUrl, arn);
      }
      return arns.get(queueUrl)!;
    },
    close() {
      sqs.destroy();
      s3.destroy();
      dynamodb.destroy();
      lambda.destroy();
    },
  };
}
