import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { dlqArchivePrefix } from '@lean-ops/contracts';
import { inRange } from './args';
import { archiveDayOfKey, checkArchiveRecord, dayInRange, sentMs, toMessageAttributes } from './archive-records';
import { claimRedrive, currentStatus, releaseClaim } from './error-status';
import type { RedriveTargets } from './targets';

export interface ReplayOptions {
  topic: string;
  since?: Date;
  until?: Date;
  dryRun: boolean;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RedriveSummary {
  source: 'archive' | 'dlq' | 'dlq-move-task';
  topic: string;
  dryRun: boolean;
  /** Candidates in the range. */
  considered: number;
  /** Sent back to the topic queue (or, in a dry run, would be). */
  replayed: number;
  /** Already REDRIVEN: a previous run replayed them. */
  skipped: number;
  /** Archive objects that could not be trusted (not JSON, wrong topic, checksum mismatch). */
  invalid: number;
  failed: number;
  messageIds: string[];
  /** StartMessageMoveTask handle (`--all`). */
  taskHandle?: string;
}

export async function listArchiveKeys(t: RedriveTargets, topic: string, since?: Date, until?: Date): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await t.s3.send(new ListObjectsV2Command({ Bucket: t.archiveBucket, Prefix: dlqArchivePrefix(topic), ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const day = o.Key ? archiveDayOfKey(o.Key) : undefined;
      if (o.Key && day && dayInRange(day, since, until)) keys.push(o.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/**
 * Replays archived dead letters of one topic: each body goes back to the topic queue unchanged. The error-tracker
 * item is claimed (REDRIVEN, conditional) before the send and given back if the send fails, so reruns are no-ops.
 */
export async function replayArchive(t: RedriveTargets, o: ReplayOptions): Promise<RedriveSummary> {
  const log = o.log ?? (() => undefined);
  const summary: RedriveSummary = { source: 'archive', topic: o.topic, dryRun: o.dryRun, considered: 0, replayed: 0, skipped: 0, invalid: 0, failed: 0, messageIds: [] };
  const queueUrl = await t.queueUrl(o.topic);
  for (const key of await listArchiveKeys(t, o.topic, o.since, o.until)) {
    const obj = await t.s3.send(new GetObjectCommand({ Bucket: t.archiveBucket, Key: key }));
    const check = checkArchiveRecord(await obj.Body!.transformToString('utf8'), o.topic);
    if (!check.ok) {
      summary.invalid++;
      log(`INVALID ${key}: ${check.problem}`);
      continue;
    }
    const record = check.record;
    if (!inRange(sentMs(record), o.since, o.until)) continue;
    summary.considered++;
    const id = { topic: o.topic, messageId: record.message_id, archiveKey: key };
    if (o.dryRun) {
      const status = await currentStatus(t.dynamodb, t.errorsTable, o.topic, record.message_id);
      if (status === 'REDRIVEN') summary.skipped++;
      else {
        summary.replayed++;
        summary.messageIds.push(record.message_id);
      }
      log(`${status === 'REDRIVEN' ? 'SKIP (already REDRIVEN)' : 'WOULD REPLAY'} ${record.message_id} from s3://${t.archiveBucket}/${key}`);
      continue;
    }
    const claim = await claimRedrive(t.dynamodb, t.errorsTable, id, o.now?.() ?? new Date());
    if (!claim.claimed) {
      summary.skipped++;
      log(`SKIP (already REDRIVEN) ${record.message_id}`);
      continue;
    }
    try {
      const attributes = toMessageAttributes(record.message_attributes);
      await t.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: record.body, ...(Object.keys(attributes).length ? { MessageAttributes: attributes } : {}) }));
      summary.replayed++;
      summary.messageIds.push(record.message_id);
      log(`REPLAYED ${record.message_id} -> ${queueUrl}`);
    } catch (err) {
      summary.failed++;
      await releaseClaim(t.dynamodb, t.errorsTable, id, claim.previousStatus);
      log(`FAILED ${record.message_id}: ${(err as Error).message}`);
    }
  }
  return summary;
}
