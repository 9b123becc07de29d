import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRICS, RETRIES_EXHAUSTED, dlqArchiveKey, minuteWindow, type DlqArchiveRecord } from '@lean-ops/contracts';
import { errorMessage } from '../core/classify-error';
import { addCheckpointCounts } from '../lib/checkpoints';
import { emitMetrics } from '../lib/emf';
import { upsertErrorItem } from '../lib/error-tracker';
import { logger } from '../lib/logger';
import { mapLimit } from '../lib/map-limit';
import { bodyOf, collectFailures, paceRetries, receiveCountOf, sentAtOf, UnreportableFailureError } from '../lib/partial-batch';
import { sha256Hex } from '../lib/sha256';
import type { DlqConfig } from './config';
import { identifyDeadLetter } from './identify';

export interface DlqDeps {
  config: DlqConfig;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /** Sets the retry backoff of dead letters that could not be archived (ChangeMessageVisibilityBatch on the DLQ). */
  sqs: SQSClient;
  now?: () => Date;
  /** What is left of the invocation (the Lambda context); bounds the pacing calls. */
  remainingMs?: () => number;
}

const CONCURRENCY = 10;

function stringAttributes(r: SQSRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.attributes ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Archives each dead letter (S3 object, then error-tracker upsert). A record is deleted from the DLQ only if
 * both writes succeeded; otherwise it is reported failed and comes back after its retry backoff. The key depends only
 * on topic, original SentTimestamp and id, so a redelivery overwrites the same object and item.
 */
export async function processDlqBatch(event: SQSEvent, deps: DlqDeps): Promise<SQSBatchResponse> {
  const now = deps.now?.() ?? new Date();
  const { config } = deps;
  const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
  const archivedPerTopic = new Map<string, number>();

  const ok = await mapLimit(records, CONCURRENCY, async (r) => {
    try {
      const body = bodyOf(r);
      const attributes = stringAttributes(r);
      const id = identifyDeadLetter(config.namePrefix, body, String(r.messageId ?? ''), attributes.DeadLetterQueueSourceArn);
      if (!id.messageId) throw new Error('dead letter has neither message_id nor SQS messageId');
      const sentAt = sentAtOf(r, now);
      const receiveCount = receiveCountOf(r);
      const key = dlqArchiveKey(id.topic, sentAt, id.messageId);
      const payloadSha256 = sha256Hex(body);
      const record: DlqArchiveRecord = {
        topic_name: id.topic,
        message_id: id.messageId,
        sqs_message_id: String(r.messageId ?? ''),
        source_queue_arn: id.sourceQueueArn,
        receive_count: receiveCount,
        archived_at: now.toISOString(),
        attributes,
        message_attributes: (r.messageAttributes ?? {}) as Record<string, unknown>,
        payload_sha256: payloadSha256,
        body,
      };
      await deps.s3.send(new PutObjectCommand({ Bucket: config.archiveBucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json' }));
      await upsertErrorItem(
        deps.dynamodb,
        config.errorsTable,
        {
          topic: id.topic,
          messageId: id.messageId,
          errorClass: RETRIES_EXHAUSTED,
          lastError: `moved to the DLQ after ${receiveCount} receive(s)`,
          receiveCount,
          archiveKey: key,
          payloadSha256,
          status: 'DLQ_ARCHIVED',
          sourceQueue: id.sourceQueue,
        },
        now,
        config.errorTtlDays,
      );
      archivedPerTopic.set(id.topic, (archivedPerTopic.get(id.topic) ?? 0) + 1);
      logger.info('DLQ_ARCHIVED', { topic: id.topic, message_id: id.messageId, key, receive_count: receiveCount });
      return true;
    } catch (err) {
      logger.error('DLQ_ARCHIVE_FAILED', { sqs_message_id: r.messageId, error: errorMessage(err) });
      return false;
    }
  });

  const { failures, toPace, unreportable } = collectFailures(records.flatMap((record, i) => (ok[i] ? [] : [{ record, queueUrl: config.dlqUrl }])));
  // S3 or DynamoDB being down is transient: try again after the backoff, not the DLQ's whole visibility timeout.
  await paceRetries(deps.sqs, toPace, { baseSeconds: config.retryBaseDelaySeconds, maxSeconds: config.retryMaxDelaySeconds }, deps.remainingMs?.());

  const window = minuteWindow(now);
  for (const [topic, n] of archivedPerTopic) {
    try {
      await addCheckpointCounts(deps.dynamodb, config.checkpointsTable, topic, window, { dlqArchived: n }, now, config.checkpointTtlDays);
    } catch (err) {
      logger.error('CHECKPOINT_FAILED', { topic, window, dlq_archived: n, error: errorMessage(err) });
    }
    emitMetrics(topic, { [METRICS.dlqArchived]: n }, now.getTime());
  }
  if (unreportable.length > 0) {
    // A failed record without a messageId cannot be named; returning the whole batch keeps it.
    logger.error('UNREPORTABLE_FAILURE', { count: unreportable.length });
    throw new UnreportableFailureError(`${unreportable.length} failed dead letter(s) have no messageId; returning the whole batch`);
  }
  return { batchItemFailures: failures };
}
