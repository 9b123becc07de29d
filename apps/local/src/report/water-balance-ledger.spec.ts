import { checkIdentities } from './identity-check';
import { balanceOf, topicLedgers, type HopCounts } from './water-balance-ledger';

const hops = (h: Partial<HopCounts>): HopCounts => ({ sent: 0, received: 0, delivered: 0, rawRows: 0, inFlight: 0, ...h });
const sent = new Map([
  ['o-1', { topic: 'orders', count: 1, sqsMessageIds: ['s1'] }],
  ['o-2', { topic: 'orders', count: 1, sqsMessageIds: ['s2'] }],
  ['o-3', { topic: 'orders', count: 1, sqsMessageIds: ['s3'] }],
]);

describe('water balance ledger', () => {
  it('holds when sent = RAW distinct + quarantined + archived + error output and nothing is lost', () => {
    const check = checkIdentities(sent, { raw: [{ topic: 'orders', id: 'o-1' }], quarantine: [{ topic: 'orders', id: 'o-2' }], dlq: [{ topic: 'orders', id: 'o-3' }], errors: [] });
    const ledger = topicLedgers(['orders', 'payments'], { orders: hops({ sent: 3, received: 5, delivered: 1, rawRows: 1 }) }, check);
    expect(ledger.map((t) => t.topic)).toEqual(['orders', 'payments']);
    expect(ledger[0]).toMatchObject({ sent: 3, sentDistinct: 3, received: 5, addedToTable: 1, quarantined: 1, dlqArchived: 1, lost: 0 });
    expect(balanceOf(ledger, check, 0)).toMatchObject({ sentDistinct: 3, rawDistinct: 1, quarantined: 1, dlqArchived: 1, lost: 0, holds: true });
  });

  it('holds exactly when an identity is both in RAW and in the DLQ archive: counted in RAW, and as a duplicate', () => {
    const check = checkIdentities(sent, {
      raw: [
        { topic: 'orders', id: 'o-1' },
        { topic: 'orders', id: 'o-2' },
      ],
      quarantine: [],
      dlq: [
        { topic: 'orders', id: 'o-2' },
        { topic: 'orders', id: 'o-3' },
      ],
      errors: [],
    });
    const ledger = topicLedgers(['orders'], { orders: hops({ sent: 3, rawRows: 2 }) }, check);
    expect(ledger[0]).toMatchObject({ rawDistinct: 2, dlqArchived: 1, lost: 0, duplicates: 1 });
    const b = balanceOf(ledger, check, 0);
    expect(b).toMatchObject({ sentDistinct: 3, rawDistinct: 2, dlqArchived: 1, duplicates: 1, lost: 0, holds: true });
    expect(b.rawDistinct + b.quarantined + b.dlqArchived + b.errorOutput + b.inFlight).toBe(b.sentDistinct);
  });

  it('does not hold with a loss, or while something is still in flight', () => {
    const check = checkIdentities(sent, { raw: [{ topic: 'orders', id: 'o-1' }], quarantine: [{ topic: 'orders', id: 'o-2' }], dlq: [], errors: [] });
    const ledger = topicLedgers(['orders'], { orders: hops({ sent: 3, rawRows: 1 }) }, check);
    expect(balanceOf(ledger, check, 0)).toMatchObject({ lost: 1, holds: false });
    const inFlight = topicLedgers(['orders'], { orders: hops({ sent: 3, rawRows: 1, inFlight: 1 }) }, check);
    // the equation holds with the in-flight message, but it has not been found anywhere yet
    expect(balanceOf(inFlight, check, 0)).toMatchObject({ inFlight: 1, lost: 1, holds: false });
  });
});
