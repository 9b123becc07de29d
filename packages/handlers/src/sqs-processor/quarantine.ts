import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { quarantineKey, type QuarantineRecord, type Reason } from '@lean-ops/contracts';
import { upsertErrorItem } from '../lib/error-tracker';
import { sha256Hex } from '../lib/sha256';

export interface QuarantineInput {
  topic: string;
  messageId: string;
  sqsMessageId: string;
  reason: Reason;
  detail: string;
  receiveCount: number;
  sourceQueue: string;
  body: string;
  /** The message's SentTimestamp: stable across redeliveries, so a redelivery writes the same key. */
  sentAt: Date;
  /** CRASHED_RUNTIME: invocations that died while this record was being processed. */
  crashCount?: number;
}

export interface QuarantineTargets {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  bucket: string;
  errorsTable: string;
  errorTtlDays: number;
}

/** Object first, then the tracker item; either failing throws, so the caller returns the record to the queue. */
export async function quarantine(t: QuarantineTargets, q: QuarantineInput, now: Date): Promise<string> {
  const key = quarantineKey(q.topic, q.sentAt, q.messageId);
  const record: QuarantineRecord = {
    topic_name: q.topic,
    message_id: q.messageId,
    sqs_message_id: q.sqsMessageId,
    reason: q.reason,
    detail: q.detail,
    receive_count: q.receiveCount,
    source_queue: q.sourceQueue,
    quarantined_at: now.toISOString(),
    body: q.body,
    ...(q.crashCount !== undefined ? { crash_count: q.crashCount } : {}),
  };
  await t.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json' }));
  await upsertErrorItem(
    t.dynamodb,
    t.errorsTable,
    {
      topic: q.topic,
      messageId: q.messageId,
      errorClass: q.reason,
      errorCode: q.reason,
      lastError: q.detail,
      receiveCount: q.receiveCount,
      archiveKey: key,
      payloadSha256: sha256Hex(q.body),
      status: 'QUARANTINED',
      sourceQueue: q.sourceQueue,
    },
    now,
    t.errorTtlDays,
  );
  return key;
}
