import { waterBalance } from './water-balance';

describe('waterBalance', () => {
  it('is zero when every receive ended somewhere', () => {
    expect(
      waterBalance([
        { received: 10, delivered: 7, dropped: 1, retried: 2 },
        { received: 3, delivered: 3 },
      ]),
    ).toMatchObject({ received: 13, gap: 0, windows: 2 });
  });
  it('shows records counted in but not out', () => {
    expect(waterBalance([{ received: 10, delivered: 7 }]).gap).toBe(3);
  });
  it('sums DLQ archives separately', () => {
    expect(waterBalance([{ dlqArchived: 2 }, { dlqArchived: 1 }])).toMatchObject({ dlqArchived: 3, gap: 0 });
  });
});
