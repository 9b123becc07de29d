export type RedriveSource = 'dlq' | 'archive';

export interface RedriveArgs {
  /** One topic, or undefined with `all` (every message of the DLQ back to its source: StartMessageMoveTask). */
  topic?: string;
  all: boolean;
  source: RedriveSource;
  /** Inclusive range on the original enqueue time (the DLQ keeps it; the archive key's date is it). */
  since?: Date;
  until?: Date;
  dryRun: boolean;
  /** DLQ modes: leave the DLQ processor's mapping running (by default it is paused during the move). */
  keepDlqProcessor: boolean;
  endpoint?: string;
  s3Endpoint?: string;
  dynamodbEndpoint?: string;
  envFile?: string;
  /** The first stdout line of `npm run local -- serve`, saved to a file: names, endpoints, credentials. */
  stackInfo?: string;
  region?: string;
}

export class RedriveUsageError extends Error {}

export const REDRIVE_USAGE = `usage: npm run redrive -- (--topic <topic> | --all) [--source archive|dlq] [--since <date>] [--until <date>] [--dry-run] [--keep-dlq-processor]
                        [--endpoint URL] [--s3-endpoint URL] [--dynamodb-endpoint URL] [--stack-info FILE] [--env-file FILE] [--region R]
  --source archive (default)  replay DlqArchiveRecord bodies from s3://<archive>/dlq-archive/topic=<t>/dt=<date>/
  --source dlq                move messages still in the DLQ back to the topic queue
  --all                       every DLQ message back to its own source queue (SQS StartMessageMoveTask)
  --keep-dlq-processor        DLQ modes pause the DLQ processor's event source mapping during the move; this keeps it
  dates: YYYY-MM-DD (whole UTC day) or ISO-8601 date-time; the range is inclusive`;

const DAY_MS = 24 * 3600 * 1000;

/** `2026-11-26` -> that UTC day's first (or last, for `until`) millisecond; an ISO date-time as given. */
export function parseDateArg(flag: string, value: string, edge: 'start' | 'end'): Date {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dayOnly ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new RedriveUsageError(`${flag} ${JSON.stringify(value)}: not a date (YYYY-MM-DD or ISO-8601 date-time)`);
  return new Date(dayOnly && edge === 'end' ? ms + DAY_MS - 1 : ms);
}

const VALUE_FLAGS = ['--topic', '--source', '--since', '--until', '--endpoint', '--s3-endpoint', '--dynamodb-endpoint', '--env-file', '--stack-info', '--region'] as const;

export function parseRedriveArgs(argv: readonly string[]): RedriveArgs {
  const values = new Map<string, string>();
  let dryRun = false;
  let all = false;
  let keepDlqProcessor = false;
  const rest = [...argv];
  for (let raw = rest.shift(); raw !== undefined; raw = rest.shift()) {
    const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if (flag === '--dry-run') dryRun = true;
    else if (flag === '--all') all = true;
    else if (flag === '--keep-dlq-processor') keepDlqProcessor = true;
    else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? rest.shift();
      if (value === undefined || value.startsWith('--')) throw new RedriveUsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else throw new RedriveUsageError(`unknown argument ${JSON.stringify(raw)}`);
  }
  const topic = values.get('--topic');
  if (!topic && !all) throw new RedriveUsageError('name a topic with --topic <topic>, or --all for every DLQ message');
  if (topic && all) throw new RedriveUsageError('--topic and --all exclude each other');
  const source = (values.get('--source') ?? (all ? 'dlq' : 'archive')) as RedriveSource;
  if (source !== 'dlq' && source !== 'archive') throw new RedriveUsageError(`--source ${JSON.stringify(source)}: must be dlq or archive`);
  if (all && source !== 'dlq') throw new RedriveUsageError('--all moves DLQ messages; the archive is replayed per topic (--topic)');
  const since = values.has('--since') ? parseDateArg('--since', values.get('--since')!, 'start') : undefined;
  const until = values.has('--until') ? parseDateArg('--until', values.get('--until')!, 'end') : undefined;
  if (since && until && since > until) throw new RedriveUsageError(`--since ${values.get('--since')} is after --until ${values.get('--until')}`);
  return {
    ...(topic ? { topic } : {}),
    all,
    source,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    dryRun,
    keepDlqProcessor,
    ...(values.has('--endpoint') ? { endpoint: values.get('--endpoint') } : {}),
    ...(values.has('--s3-endpoint') ? { s3Endpoint: values.get('--s3-endpoint') } : {}),
    ...(values.has('--dynamodb-endpoint') ? { dynamodbEndpoint: values.get('--dynamodb-endpoint') } : {}),
    ...(values.has('--env-file') ? { envFile: values.get('--env-file') } : {}),
    ...(values.has('--stack-info') ? { stackInfo: values.get('--stack-info') } : {}),
    ...(values.has('--region') ? { region: values.get('--region') } : {}),
  };
}

/** Inclusive range test on epoch ms; an open end accepts everything on that side. */
export function inRange(ms: number, since?: Date, until?: Date): boolean {
  if (since && ms < since.getTime()) return false;
  if (until && ms > until.getTime()) return false;
  return true;
}
