import type { RawRow } from '@lean-ops/contracts';
import { jsonError, startFakeServer, type FakeServer } from './fake-aws-server';

/**
 * A Firehose stand-in speaking awsJson1_1 PutRecordBatch. Faults are chosen per RAW row by the test:
 * per-record failures (FailedPutCount > 0 on a successful call), throttling of whole calls, and whole-call
 * InvalidArgumentException when a marked record is in the call.
 */
export interface FirehoseFaults {
  /** Fail this record in this call (1-based count of calls that carried it). */
  failRecord?: (row: RawRow, timesSeen: number) => boolean;
  /** Refuse the whole call if any record matches. */
  rejectCallIf?: (row: RawRow) => boolean;
  /** Answer the next n calls with throttling (ServiceUnavailableException). */
  throttleNextCalls?: number;
}

export interface FakeFirehose extends FakeServer {
  delivered: RawRow[];
  calls: number;
  faults: FirehoseFaults;
  reset(): void;
}

export async function startFakeFirehose(): Promise<FakeFirehose> {
  const seen = new Map<string, number>();
  // The route reads and updates the returned object, so tests can change faults between invocations.
  const state = { delivered: [] as RawRow[], calls: 0, faults: {} as FirehoseFaults };
  const server = await startFakeServer((req) => {
    if (req.target !== 'Firehose_20150804.PutRecordBatch') return jsonError('UnknownOperationException', String(req.target));
    state.calls++;
    const input = JSON.parse(req.body) as { DeliveryStreamName: string; Records: Array<{ Data: string }> };
    if (input.Records.length > 500) return jsonError('InvalidArgumentException', 'more than 500 records');
    const datas = input.Records.map((r) => Buffer.from(r.Data, 'base64'));
    if (datas.reduce((s, d) => s + d.length, 0) > 4 * 1024 * 1024) return jsonError('InvalidArgumentException', 'more than 4 MiB');
    const rows = datas.map((d) => JSON.parse(d.toString('utf8')) as RawRow);
    if ((state.faults.throttleNextCalls ?? 0) > 0) {
      state.faults.throttleNextCalls = (state.faults.throttleNextCalls ?? 0) - 1;
      return jsonError('ServiceUnavailableException', 'Slow down.');
    }
    if (state.faults.rejectCallIf && rows.some(state.faults.rejectCallIf)) return jsonError('InvalidArgumentException', 'Record is malformed');
    let failed = 0;
    const responses = rows.map((row, i) => {
      const key = `${row.topic_name}/${row.message_id}`;
      const times = (seen.get(key) ?? 0) + 1;
      seen.set(key, times);
      if (state.faults.failRecord?.(row, times)) {
        failed++;
        return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      }
      state.delivered.push(row);
      return { RecordId: `rec-${state.calls}-${i}` };
    });
    return { status: 200, body: JSON.stringify({ FailedPutCount: failed, Encryption: false, RequestResponses: responses }), headers: { 'content-type': 'application/x-amz-json-1.1' } };
  });
  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    get delivered() {
      return state.delivered;
    },
    get calls() {
      return state.calls;
    },
    get faults() {
      return state.faults;
    },
    set faults(f: FirehoseFaults) {
      state.faults = f;
    },
    reset() {
      state.delivered = [];
      state.calls = 0;
      state.faults = {};
      seen.clear();
    },
  };
}
