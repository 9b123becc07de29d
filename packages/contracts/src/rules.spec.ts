import {
  LIMITS,
  batchSizeNeedsWindow,
  dlqOutlivesQueue,
  isMaxReceiveCount,
  isRegion,
  minimumVisibilityTimeout,
  retryMaxAtLeastBase,
  retryMaxWithinVisibility,
  visibilityCoversFunction,
} from './index';

describe('rules between settings', () => {
  it('knows region codes, including GovCloud and ISO partitions', () => {
    for (const r of ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'us-gov-west-1', 'us-isob-east-1']) expect(isRegion(r)).toBe(true);
    for (const r of ['Europe', 'eu-west', 'eu_west_1', 'eu-west-1a', '']) expect(isRegion(r)).toBe(false);
  });
  it('visibility timeout covers 6 x the function timeout', () => {
    expect(minimumVisibilityTimeout(60)).toBe(360);
    expect(visibilityCoversFunction(360, 60)).toBe(true);
    expect(visibilityCoversFunction(359, 60)).toBe(false);
  });
  it('retry max sits between the base and the visibility timeout', () => {
    expect(retryMaxWithinVisibility(360, 360)).toBe(true);
    expect(retryMaxWithinVisibility(361, 360)).toBe(false);
    expect(retryMaxAtLeastBase(10, 10)).toBe(true);
    expect(retryMaxAtLeastBase(9, 10)).toBe(false);
  });
  it('the DLQ keeps messages strictly longer than its sources', () => {
    expect(dlqOutlivesQueue(2, 1)).toBe(true);
    expect(dlqOutlivesQueue(1, 1)).toBe(false);
  });
  it('maxReceiveCount is an integer in 1..1000', () => {
    expect(LIMITS.sqsMaxReceiveCount).toBe(1000);
    for (const n of [1, 3, 1000]) expect(isMaxReceiveCount(n)).toBe(true);
    for (const n of [0, 1001, 2.5, NaN]) expect(isMaxReceiveCount(n)).toBe(false);
  });
  it('a batch size above 10 needs a batching window', () => {
    expect(batchSizeNeedsWindow(10, 0)).toBe(false);
    expect(batchSizeNeedsWindow(11, 0)).toBe(true);
    expect(batchSizeNeedsWindow(11, 1)).toBe(false);
  });
});
