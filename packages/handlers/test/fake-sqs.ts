import { createHash } from 'node:crypto';
import { jsonError, startFakeServer, type FakeServer } from './fake-aws-server';

export interface VisibilityCall {
  queueUrl: string;
  entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout: number }>;
}

export interface FakeSqs extends FakeServer {
  /** Every ChangeMessageVisibilityBatch call, in order. */
  visibilityCalls: VisibilityCall[];
  /** Every message sent with SendMessageBatch: body and string attributes. */
  sent: Array<{ queueUrl: string; messageId: string; body: string; attributes: Record<string, string> }>;
  /** Receipt handles deleted with DeleteMessageBatch. */
  deleted: string[];
  /** Answer every call with a server error (SQS down). */
  down: boolean;
  reset(): void;
}

const JSON_1_0 = { 'content-type': 'application/x-amz-json-1.0' };

/**
 * An SQS stand-in (awsJson1_0) that records ChangeMessageVisibilityBatch (10-entry limit enforced),
 * SendMessageBatch and DeleteMessageBatch calls.
 * Queue URLs point here: the SDK sends each call to its queue URL's host.
 */
export async function startFakeSqs(): Promise<FakeSqs> {
  const state = { visibilityCalls: [] as VisibilityCall[], down: false, sent: [] as FakeSqs['sent'], deleted: [] as string[] };
  let seq = 0;
  const server = await startFakeServer((req) => {
    if (state.down) return jsonError('InternalError', 'We encountered an internal error.', 500);
    if (req.target === 'AmazonSQS.SendMessageBatch') {
      const input = JSON.parse(req.body) as { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string; MessageAttributes?: Record<string, { StringValue?: string }> }> };
      const ok = input.Entries.map((e) => {
        const messageId = `copy-${++seq}`;
        const attributes = Object.fromEntries(Object.entries(e.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']));
        state.sent.push({ queueUrl: input.QueueUrl, messageId, body: e.MessageBody, attributes });
        // The SDK checks each body's MD5 in the answer.
        return { Id: e.Id, MessageId: messageId, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') };
      });
      return { status: 200, body: JSON.stringify({ Successful: ok, Failed: [] }), headers: JSON_1_0 };
    }
    if (req.target === 'AmazonSQS.DeleteMessageBatch') {
      const input = JSON.parse(req.body) as { Entries: Array<{ Id: string; ReceiptHandle: string }> };
      state.deleted.push(...input.Entries.map((e) => e.ReceiptHandle));
      return { status: 200, body: JSON.stringify({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }), headers: JSON_1_0 };
    }
    if (req.target !== 'AmazonSQS.ChangeMessageVisibilityBatch') return jsonError('InvalidAction', String(req.target));
    const input = JSON.parse(req.body) as { QueueUrl: string; Entries: VisibilityCall['entries'] };
    if (input.Entries.length > 10) return jsonError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
    state.visibilityCalls.push({ queueUrl: input.QueueUrl, entries: input.Entries });
    return { status: 200, body: JSON.stringify({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }), headers: JSON_1_0 };
  });
  return {
    ...server,
    get visibilityCalls() {
      return state.visibilityCalls;
    },
    get sent() {
      return state.sent;
    },
    get deleted() {
      return state.deleted;
    },
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    reset() {
      state.visibilityCalls = [];
      state.down = false;
      state.sent = [];
      state.deleted = [];
    },
  };
}
