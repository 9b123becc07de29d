import { jsonError, startFakeServer, type FakeServer } from './fake-aws-server';

export interface VisibilityCall {
  queueUrl: string;
  entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout: number }>;
}

export interface FakeSqs extends FakeServer {
  /** Every ChangeMessageVisibilityBatch call, in order. */
  visibilityCalls: VisibilityCall[];
  /** Answer every call with a server error (SQS down). */
  down: boolean;
  reset(): void;
}

const JSON_1_0 = { 'content-type': 'application/x-amz-json-1.0' };

/**
 * An SQS stand-in (awsJson1_0) that records ChangeMessageVisibilityBatch calls and enforces the 10-entry limit.
 * Queue URLs point here: the SDK sends each call to its queue URL's host.
 */
export async function startFakeSqs(): Promise<FakeSqs> {
  const state = { visibilityCalls: [] as VisibilityCall[], down: false };
  const server = await startFakeServer((req) => {
    if (state.down) return jsonError('InternalError', 'We encountered an internal error.', 500);
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
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    reset() {
      state.visibilityCalls = [];
      state.down = false;
    },
  };
}
