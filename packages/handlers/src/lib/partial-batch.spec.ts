import type { SQSRecord } from 'aws-lambda';
import { collectFailures, itemFailure, receiveCountOf, sentAtOf } from './partial-batch';

const record = (over: Partial<SQSRecord> & { attributes?: Partial<SQSRecord['attributes']> }): SQSRecord =>
  ({ messageId: 'm-1', receiptHandle: 'rh-1', body: '{}', attributes: {}, messageAttributes: {}, ...over }) as SQSRecord;

describe('partial batch helpers', () => {
  it('a record in an event was received at least once', () => {
    expect(receiveCountOf(record({ attributes: { ApproximateReceiveCount: '3' } as SQSRecord['attributes'] }))).toBe(3);
    expect(receiveCountOf(record({}))).toBe(1);
    expect(receiveCountOf(record({ attributes: { ApproximateReceiveCount: 'x' } as SQSRecord['attributes'] }))).toBe(1);
    expect(receiveCountOf(undefined)).toBe(1);
  });
  it('sent time from SentTimestamp, else the fallback', () => {
    const fallback = new Date(0);
    expect(sentAtOf(record({ attributes: { SentTimestamp: '1000' } as SQSRecord['attributes'] }), fallback)).toEqual(new Date(1000));
    expect(sentAtOf(record({}), fallback)).toBe(fallback);
  });
  it('names only records with a real messageId', () => {
    expect(itemFailure('m')).toEqual({ itemIdentifier: 'm' });
    expect(itemFailure('')).toBeUndefined();
    expect(itemFailure(undefined)).toBeUndefined();
  });
  it('collects failures, the retries to pace (receipt handle and queue known) and the unnamed ones', () => {
    const out = collectFailures([
      { record: record({ messageId: 'a', attributes: { ApproximateReceiveCount: '2' } as SQSRecord['attributes'] }), queueUrl: 'q' },
      { record: record({ messageId: 'b' }), queueUrl: undefined },
      { record: record({ messageId: '' }), queueUrl: 'q' },
      { record: record({ messageId: 'c', receiptHandle: '' }), queueUrl: 'q', visibilitySeconds: 0 },
      { record: record({ messageId: 'd' }), queueUrl: 'q', visibilitySeconds: 0 },
    ]);
    expect(out.failures.map((f) => f.itemIdentifier)).toEqual(['a', 'b', 'c', 'd']);
    expect(out.toPace).toEqual([
      { queueUrl: 'q', messageId: 'a', receiptHandle: 'rh-1', receiveCount: 2 },
      { queueUrl: 'q', messageId: 'd', receiptHandle: 'rh-1', receiveCount: 1, visibilitySeconds: 0 },
    ]);
    expect(out.unreportable).toEqual([2]);
  });
});
