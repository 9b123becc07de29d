import { tallyBatch, type RecordStatus } from './batch-counts';

const rec = (topic: string, status: RecordStatus, receiveCount: number) => ({ topic, status, receiveCount });

describe('tallyBatch', () => {
  it('counts first receives apart from retries of older failures, per topic', () => {
    const counts = tallyBatch([
      rec('orders', 'delivered', 1),
      rec('orders', 'delivered', 1),
      rec('orders', 'retry', 1),
      rec('orders', 'dropped', 1),
      rec('orders', 'retry', 3),
      rec('orders', 'retry', 3),
      rec('orders', 'delivered', 3),
      rec('payments', 'retry', 2),
    ]);
    expect(counts.get('orders')).toEqual({ received: 7, delivered: 3, dropped: 1, retried: 3, firstReceived: 4, firstFailed: 1 });
    expect(counts.get('payments')).toEqual({ received: 1, delivered: 0, dropped: 0, retried: 1, firstReceived: 0, firstFailed: 0 });
  });
  it('keeps the water balance: received = delivered + dropped + retried', () => {
    const c = tallyBatch([rec('t', 'retry', 1), rec('t', 'retry', 3), rec('t', 'dropped', 2), rec('t', 'delivered', 1)]).get('t')!;
    expect(c.received).toBe(c.delivered + c.dropped + c.retried);
    expect(c.firstFailed).toBeLessThanOrEqual(c.retried);
  });
  it('counts a tail of retries alone as no first attempts at all', () => {
    const tail = tallyBatch(Array.from({ length: 20 }, () => rec('orders', 'retry', 3))).get('orders')!;
    expect(tail).toMatchObject({ received: 20, retried: 20, firstReceived: 0, firstFailed: 0 });
  });
});
