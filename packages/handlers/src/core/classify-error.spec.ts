import { REASONS } from '@lean-ops/contracts';
import { classifyError, ERROR_NAME_REASON, REASON_DISPOSITION } from './classify-error';

const sdkError = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('classifyError: reasons', () => {
  it('covers every contract reason', () => expect(Object.keys(REASON_DISPOSITION).sort()).toEqual([...REASONS].sort()));
  it.each(Object.entries(REASON_DISPOSITION))('%s -> %s', (reason, disposition) => {
    expect(classifyError(reason)).toEqual({ disposition, reason });
  });
});

const SDK_ROWS: Array<[string, string, string]> = [
  ['ThrottlingException', 'RETRY', 'THROTTLED'],
  ['Throttling', 'RETRY', 'THROTTLED'],
  ['ProvisionedThroughputExceededException', 'RETRY', 'THROTTLED'],
  ['RequestLimitExceeded', 'RETRY', 'THROTTLED'],
  ['TooManyRequestsException', 'RETRY', 'THROTTLED'],
  ['SlowDown', 'RETRY', 'THROTTLED'],
  ['LimitExceededException', 'RETRY', 'THROTTLED'],
  ['ServiceUnavailableException', 'RETRY', 'SERVICE_UNAVAILABLE'],
  ['ServiceUnavailable', 'RETRY', 'SERVICE_UNAVAILABLE'],
  ['InternalFailure', 'RETRY', 'SERVICE_UNAVAILABLE'],
  ['InternalServerError', 'RETRY', 'SERVICE_UNAVAILABLE'],
  ['InternalError', 'RETRY', 'SERVICE_UNAVAILABLE'],
  ['TimeoutError', 'RETRY', 'TIMEOUT'],
  ['RequestTimeout', 'RETRY', 'TIMEOUT'],
  ['RequestTimeoutException', 'RETRY', 'TIMEOUT'],
  ['AbortError', 'RETRY', 'TIMEOUT'],
  ['InvalidArgumentException', 'DROP', 'FIREHOSE_REJECTED'],
  ['ResourceNotFoundException', 'RETRY', 'UNKNOWN'],
  ['AccessDeniedException', 'RETRY', 'UNKNOWN'],
];
const SOCKET_ROWS: Array<[string, string]> = [
  ['ECONNREFUSED', 'SERVICE_UNAVAILABLE'],
  ['ECONNRESET', 'SERVICE_UNAVAILABLE'],
  ['EPIPE', 'SERVICE_UNAVAILABLE'],
  ['ETIMEDOUT', 'TIMEOUT'],
];

describe('classifyError: SDK errors', () => {
  it.each(SDK_ROWS)('%s -> %s %s', (name, disposition, reason) => {
    expect(classifyError(sdkError(name))).toEqual({ disposition, reason });
  });

  it('has a test row for every table entry', () => {
    const tested = new Set([...SDK_ROWS.map((r) => r[0]), ...SOCKET_ROWS.map((r) => r[0])]);
    expect(Object.keys(ERROR_NAME_REASON).filter((k) => !tested.has(k))).toEqual([]);
  });

  it.each(SOCKET_ROWS)('socket code %s -> RETRY %s', (code, reason) => {
    expect(classifyError(Object.assign(new Error('socket'), { code }))).toEqual({ disposition: 'RETRY', reason });
  });

  it('falls back on the HTTP status', () => {
    expect(classifyError(sdkError('Weird', 429))).toEqual({ disposition: 'RETRY', reason: 'THROTTLED' });
    expect(classifyError(sdkError('Weird', 503))).toEqual({ disposition: 'RETRY', reason: 'SERVICE_UNAVAILABLE' });
    expect(classifyError(sdkError('Weird', 400))).toEqual({ disposition: 'RETRY', reason: 'UNKNOWN' });
  });

  it('treats anything unknown as RETRY, never DROP', () => {
    for (const v of [new Error('boom'), 'boom', 42, null, undefined, {}, { name: 'toString' }, { name: '__proto__' }]) {
      expect(classifyError(v)).toEqual({ disposition: 'RETRY', reason: 'UNKNOWN' });
    }
  });
});
