import { planVisibilityChanges, retryVisibility, type RetryRecord } from './retry-visibility';
import assert from 'node:assert/strict';

describe('retryVisibility', () => {
  it('doubles from the base per receive: 10, 20, 40 s', () => {
    expect([1, 2, 3].map((n) => retryVisibility(n, 10, 300))).toEqual([10, 20, 40]);
  });
  it('stops at the cap', () => {
    expect(retryVisibility(6, 10, 300)).toBe(300);
    expect(retryVisibility(5, 1, 5)).toBe(5);
    expect(retryVisibility(3, 1, 5)).toBe(4);
  });
  it('never overflows on huge receive counts, and keeps within the SQS maximum of 12 hours', () => {
    expect(retryVisibility(10_000, 900, 43_200)).toBe(43_200);
    expect(retryVisibility(10_000, 900, 100_000)).toBe(43_200);
  });
  it('reads a missing or bad receive count as the first receive', () => {
    expect(retryVisibility(0, 10, 300)).toBe(10);
    expect(retryVisibility(Number.NaN, 10, 300)).toBe(10);
    expect(retryVisibility(2.5, 10, 300)).toBe(10);
  });
  it('makes a zero base mean "retry at once" (no NaN from 0 x 2^n)', () => {
    expect(retryVisibility(1, 0, 300)).toBe(0);
    expect(retryVisibility(5000, 0, 300)).toBe(0);
  });
});

describe('planVisibilityChanges', () => {
  const rec = (queueUrl: string, i: number, receiveCount = 1): RetryRecord => ({ queueUrl, messageId: `m/${i}`, receiptHandle: `rh-${i}`, receiveCount });

  it('sets each record its own delay, with entry ids SQS accepts', () => {
    const [batch] = planVisibilityChanges([rec('q1', 0, 1), rec('q1', 1, 3)], 10, 300);
    assert(batch);
    expect(batch).toEqual({
      queueUrl: 'q1',
      entries: [
        { Id: 'r0', ReceiptHandle: 'rh-0', VisibilityTimeout: 10, messageId: 'm/0' },
        { Id: 'r1', ReceiptHandle: 'rh-1', VisibilityTimeout: 40, messageId: 'm/1' },
      ],
    });
    expect(batch.entries.every((e) => /^[A-Za-z0-9_-]{1,80}$/.test(e.Id))).toBe(true);
  });
  it('calls each queue separately, at most 10 entries per call', () => {
    const records = [...Array.from({ length: 23 }, (_, i) => rec('q1', i)), rec('q2', 23)];
    const batches = planVisibilityChanges(records, 10, 300);
    expect(batches.map((b) => [b.queueUrl, b.entries.length])).toEqual([
      ['q1', 10],
      ['q1', 10],
      ['q1', 3],
      ['q2', 1],
    ]);
    const ids = batches.flatMap((b) => b.entries.map((e) => e.ReceiptHandle));
    expect(new Set(ids).size).toBe(24);
  });
  it('plans nothing for no records', () => {
    expect(planVisibilityChanges([], 10, 300)).toEqual([]);
  });
});
