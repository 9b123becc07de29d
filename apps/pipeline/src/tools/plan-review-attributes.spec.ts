import { changedAttributes, SENSITIVE, UNKNOWN } from './plan-review-attributes';

describe('changedAttributes', () => {
  it('lists each changed leaf as before -> after, nested paths included', () => {
    expect(
      changedAttributes({
        before: { message_retention_seconds: 345600, name: 'q', point_in_time_recovery: [{ enabled: false }] },
        after: { message_retention_seconds: 86400, name: 'q', point_in_time_recovery: [{ enabled: true }] },
      }),
    ).toEqual([
      { path: 'message_retention_seconds', before: '345600', after: '86400' },
      { path: 'point_in_time_recovery[0].enabled', before: 'false', after: 'true' },
    ]);
  });

  it('masks sensitive values and says when a value is known only after apply', () => {
    expect(
      changedAttributes({
        before: { password: 'old', arn: 'arn:aws:x' },
        after: { password: 'new' },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
        after_unknown: { arn: true },
      }),
    ).toEqual([
      { path: 'arn', before: '"arn:aws:x"', after: UNKNOWN },
      { path: 'password', before: SENSITIVE, after: SENSITIVE },
    ]);
  });

  it('compares JSON documents in strings key by key', () => {
    const before = { redrive_policy: JSON.stringify({ maxReceiveCount: 3, deadLetterTargetArn: 'a' }) };
    const after = { redrive_policy: JSON.stringify({ maxReceiveCount: 5, deadLetterTargetArn: 'a' }) };
    expect(changedAttributes({ before, after })).toEqual([{ path: 'redrive_policy → maxReceiveCount', before: '3', after: '5' }]);
  });
});

describe('changedAttributes on lists that grow or shrink', () => {
  it('lists the elements that left and came', () => {
    const before = { variables: { TOPICS: JSON.stringify([{ topic: 'orders' }, { topic: 'payments' }, { topic: 'clicks' }]) } };
    const after = { variables: { TOPICS: JSON.stringify([{ topic: 'orders' }, { topic: 'clicks' }, { topic: 'refunds' }, { topic: 'x' }]) } };
    expect(changedAttributes({ before, after })).toEqual([
      { path: 'variables.TOPICS[-]', before: '{"topic":"payments"}', after: '(removed)' },
      { path: 'variables.TOPICS[+]', before: '(absent)', after: '{"topic":"refunds"}' },
      { path: 'variables.TOPICS[+]', before: '(absent)', after: '{"topic":"x"}' },
    ]);
  });

  it('counts repeated values', () => {
    expect(changedAttributes({ before: { r: ['a', 'a', 'b'] }, after: { r: ['a', 'b'] } })).toEqual([{ path: 'r[-]', before: '"a"', after: '(removed)' }]);
  });
});
