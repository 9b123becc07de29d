import { DeleteMessageBatchCommand, SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { CRASH_STATE_ATTRIBUTE } from '@lean-ops/contracts';
import { errorMessage } from '../core/classify-error';
import { formatCrashState, type CrashState } from '../core/crash-state';
import { logger } from './logger';

/** SendMessageBatch and DeleteMessageBatch take at most 10 entries (SQS quotas). */
const SQS_BATCH = 10;

export interface RequeueItem {
  record: SQSRecord;
  state: CrashState;
}

/** The event's message attributes back in SendMessage shape, plus the crash state and original id (SQS allows 10 attributes). */
function attributesOf(r: SQSRecord, state: CrashState): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(r.messageAttributes ?? {})) {
    if (name === CRASH_STATE_ATTRIBUTE) continue;
    if (a.stringValue !== undefined) out[name] = { DataType: a.dataType, StringValue: a.stringValue };
    else if (a.binaryValue !== undefined) out[name] = { DataType: a.dataType, BinaryValue: Buffer.from(a.binaryValue, 'base64') };
  }
  out[CRASH_STATE_ATTRIBUTE] = { DataType: 'String', StringValue: formatCrashState(state, r.messageId) };
  return out;
}

/**
 * Re-queues records as new messages (same body, crash state in an attribute) and deletes each original once its
 * copy is accepted: the copy's receive count starts at 1, so innocent records of crashed batches never exhaust
 * maxReceiveCount. A record whose copy was refused stays where it is. Returns original id -> copy id.
 */
export async function requeue(sqs: SQSClient, queueUrl: string, items: readonly RequeueItem[]): Promise<Map<string, string>> {
  const copies = new Map<string, string>();
  for (let i = 0; i < items.length; i += SQS_BATCH) {
    const chunk = items.slice(i, i + SQS_BATCH);
    try {
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((it, k) => ({ Id: String(k), MessageBody: it.record.body, MessageAttributes: attributesOf(it.record, it.state) })),
        }),
      );
      // entries are matched back by Id; an Id this request did not send names nothing to delete
      const ok = (sent.Successful ?? []).flatMap((s) => {
        const item = chunk[Number(s.Id)];
        return item ? [{ item, copyId: s.MessageId ?? '' }] : [];
      });
      for (const f of sent.Failed ?? []) logger.warn('REQUEUE_FAILED', { sqs_message_id: chunk[Number(f.Id)]?.record.messageId, code: f.Code, error: f.Message });
      if (ok.length === 0) continue;
      const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ok.map((o, k) => ({ Id: String(k), ReceiptHandle: o.item.record.receiptHandle })) }));
      // A copy whose original could not be deleted is a duplicate the idempotent paths absorb; never a loss.
      for (const f of deleted.Failed ?? []) logger.warn('REQUEUE_DELETE_FAILED', { sqs_message_id: ok[Number(f.Id)]?.item.record.messageId, code: f.Code });
      for (const o of ok) copies.set(o.item.record.messageId, o.copyId);
    } catch (err) {
      logger.warn('REQUEUE_FAILED', { records: chunk.length, error: errorMessage(err) });
    }
  }
  return copies;
}

/** Deletes messages now (10 per call), e.g. records settled before risky work in the same invocation. */
export async function deleteNow(sqs: SQSClient, queueUrl: string, records: readonly SQSRecord[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < records.length; i += SQS_BATCH) {
    const chunk = records.slice(i, i + SQS_BATCH);
    try {
      const r = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((rec, k) => ({ Id: String(k), ReceiptHandle: rec.receiptHandle })) }));
      deleted += (r.Successful ?? []).length;
    } catch (err) {
      // Not deleted: the ESM deletes it after the response, unless the invocation dies first.
      logger.warn('DELETE_FAILED', { records: chunk.length, error: errorMessage(err) });
    }
  }
  return deleted;
}
