import { checkIdentities, type SentIdentityLike } from './identity-check';

const sent = (entries: Array<[string, SentIdentityLike]>) => new Map(entries);
const one = (topic: string, sqs: string, count = 1): SentIdentityLike => ({ topic, count, sqsMessageIds: Array.from({ length: count }, (_, i) => `${sqs}${i || ''}`) });

describe('checkIdentities', () => {
  it('finds every identity in exactly one place and counts per topic', () => {
    const c = checkIdentities(sent([['o-1', one('orders', 's1')], ['o-2', one('orders', 's2')], ['p-1', one('payments', 's3')], ['s4', one('orders', 's4')]]), {
      raw: [{ topic: 'orders', id: 'o-1' }],
      quarantine: [{ topic: 'orders', id: 's4' }],
      dlq: [{ topic: 'payments', id: 'p-1' }],
      errors: [{ topic: 'orders', id: 'o-2' }],
    });
    expect(c.lost).toEqual([]);
    expect(c.crossLocation).toEqual([]);
    expect(c.perTopic.orders).toEqual({ sentDistinct: 3, raw: 1, rawDistinct: 1, quarantine: 1, dlq: 0, errors: 1, lost: 0, duplicates: 0 });
    expect(c.perTopic.payments).toMatchObject({ sentDistinct: 1, dlq: 1 });
  });

  it('matches a record filed under the SQS id of a message sent with a producer id', () => {
    const c = checkIdentities(sent([['o-1', one('orders', 'sqs-a')]]), { raw: [], quarantine: [{ topic: 'orders', id: 'sqs-a' }], dlq: [], errors: [] });
    expect(c.lost).toEqual([]);
    expect(c.places.get('o-1')).toEqual(['quarantine']);
  });

  it('reports lost identities, duplicates of each kind and records nobody sent', () => {
    const c = checkIdentities(sent([['o-1', one('orders', 's1')], ['o-2', one('orders', 's2')], ['o-3', one('orders', 's3', 2)], ['o-4', one('orders', 's4')]]), {
      raw: [{ topic: 'orders', id: 'o-2' }, { topic: 'orders', id: 'o-2' }, { topic: 'orders', id: 'o-3' }, { topic: 'orders', id: 'o-4' }, { topic: 'orders', id: 'x-9' }],
      quarantine: [{ topic: 'orders', id: 'o-4' }],
      dlq: [],
      errors: [],
    });
    expect(c.lost).toEqual(['o-1']);
    expect(c.rawDuplicates).toEqual(['o-2']);
    expect(c.crossLocation).toEqual(['o-4']);
    expect(c.sentMoreThanOnce).toEqual(['o-3']);
    expect(c.unexpected).toEqual([{ topic: 'orders', id: 'x-9' }]);
    expect(c.perTopic.orders).toMatchObject({ sentDistinct: 4, raw: 4, rawDistinct: 3, lost: 1, duplicates: 3 });
  });

  it('accounts a message redriven from the DLQ archive once, where it landed', () => {
    const s = sent([['o-1', one('orders', 's1', 2)], ['o-2', one('orders', 's2', 2)]]);
    const findings = { raw: [{ topic: 'orders', id: 'o-1' }, { topic: 'orders', id: 'o-2' }], quarantine: [], dlq: [{ topic: 'orders', id: 'o-1' }, { topic: 'orders', id: 'o-2' }], errors: [] };
    const c = checkIdentities(s, findings, new Set(['o-1']));
    expect(c.places.get('o-1')).toEqual(['raw', 'dlq']);
    expect(c.crossLocation).toEqual(['o-2']);
    expect(c.sentMoreThanOnce).toEqual(['o-2']);
    expect(c.perTopic.orders).toMatchObject({ rawDistinct: 2, dlq: 1, duplicates: 1 });
  });
});
