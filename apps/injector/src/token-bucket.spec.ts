import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('spaces reservations at the rate, in call order', () => {
    let t = 0;
    const bucket = new TokenBucket(100, 100, () => t);
    expect(bucket.reserve(10)).toBeCloseTo(100); // empty at start: 10 tokens take 100 ms
    expect(bucket.reserve(10)).toBeCloseTo(200); // queued behind the first
    t = 200;
    expect(bucket.reserve(10)).toBeCloseTo(100);
  });

  it('refills while idle, up to its capacity', () => {
    let t = 0;
    const bucket = new TokenBucket(100, 20, () => t);
    t = 10_000;
    expect(bucket.reserve(20)).toBe(0);
    expect(bucket.reserve(10)).toBeCloseTo(100);
  });
});
