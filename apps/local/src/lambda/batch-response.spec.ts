import { readBatchResponse } from './batch-response';

const ids = new Set(['m1', 'm2']);

describe('readBatchResponse', () => {
  it.each([[null], [undefined], [{}], [{ batchItemFailures: null }], [{ batchItemFailures: [] }]])('treats %p as complete success', (payload) => {
    expect(readBatchResponse(payload, ids)).toEqual({ ok: true, failed: new Set() });
  });

  it('returns the reported failures', () => {
    expect(readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids)).toEqual({ ok: true, failed: new Set(['m2']) });
  });

  it.each([
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'm1' }] }],
    ['an unknown message id', { batchItemFailures: [{ itemIdentifier: 'm3' }] }],
    ['a list that is not a list', { batchItemFailures: 'm1' }],
    ['a non-object response', 'ok'],
    ['an array response', [{ itemIdentifier: 'm1' }]],
  ])('fails the whole batch on %s', (_what, payload) => {
    expect(readBatchResponse(payload, ids).ok).toBe(false);
  });
});
