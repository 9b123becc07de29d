import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { PutEntryResult } from '../core/deliver-records';

/** One PutRecordBatch call; results are aligned with `records` (Firehose keeps request order). */
export async function putRecordBatch(client: FirehoseClient, stream: string, records: readonly { data: string }[], abortSignal?: AbortSignal): Promise<PutEntryResult[]> {
  // Aborted at the invocation's hard stop: the records may or may not have landed, so they come back (RETRY).
  const resp = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records.map((r) => ({ Data: Buffer.from(r.data, 'utf8') })) }), abortSignal ? { abortSignal } : {});
  const entries = resp.RequestResponses ?? [];
  return records.map((_, i) => {
    const e = entries[i];
    if (!e) return { ok: false, errorCode: 'MissingResponse', errorMessage: 'no entry for this record in the response' };
    return e.ErrorCode ? { ok: false, errorCode: e.ErrorCode, errorMessage: e.ErrorMessage } : { ok: true };
  });
}
