import { assignPlace, checkIdentities, placesKey, type SentIdentityLike } from './identity-check';
import assert from 'node:assert/strict';

const sent = (entries: Array<[string, SentIdentityLike]>) => new Map(entries);
const one = (topic: string, sqs: string, count = 1): SentIdentityLike => ({ topic, count, sqsMessageIds: Array.from({ length: count }, (_, i) => `${sqs}${i || ''}`) });

describe('checkIdentities', () => {
  it('finds every identity in exactly one place and counts per topic', () => {
    const c = checkIdentities(
      sent([
        ['o-1', one('orders', 's1')],
        ['o-2', one('orders', 's2')],
        ['p-1', one('payments', 's3')],
        ['s4', one('orders', 's4')],
      ]),
      {
        raw: [{ topic: 'orders', id: 'o-1' }],
        quarantine: [{ topic: 'orders', id: 's4' }],
        dlq: [{ topic: 'payments', id: 'p-1' }],
        errors: [{ topic: 'orders', id: 'o-2' }],
      },
    );
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
    const c = checkIdentities(
      sent([
        ['o-1', one('orders', 's1')],
        ['o-2', one('orders', 's2')],
        ['o-3', one('orders', 's3', 2)],
        ['o-4', one('orders', 's4')],
      ]),
      {
        raw: [
          { topic: 'orders', id: 'o-2' },
          { topic: 'orders', id: 'o-2' },
          { topic: 'orders', id: 'o-3' },
          { topic: 'orders', id: 'o-4' },
          { topic: 'orders', id: 'x-9' },
        ],
        quarantine: [{ topic: 'orders', id: 'o-4' }],
        dlq: [],
        errors: [],
      },
    );
    expect(c.lost).toEqual(['o-1']);
    expect(c.rawDuplicates).toEqual(['o-2']);
    expect(c.crossLocation).toEqual(['o-4']);
    expect(c.sentMoreThanOnce).toEqual(['o-3']);
    expect(c.unexpected).toEqual([{ topic: 'orders', id: 'x-9' }]);
    expect(c.perTopic.orders).toMatchObject({ sentDistinct: 4, raw: 4, rawDistinct: 3, lost: 1, duplicates: 3 });
  });

  it('accounts a message redriven from the DLQ archive once, where it landed', () => {
    const s = sent([
      ['o-1', one('orders', 's1', 2)],
      ['o-2', one('orders', 's2', 2)],
    ]);
    const findings = {
      raw: [
        { topic: 'orders', id: 'o-1' },
        { topic: 'orders', id: 'o-2' },
      ],
      quarantine: [],
      dlq: [
        { topic: 'orders', id: 'o-1' },
        { topic: 'orders', id: 'o-2' },
      ],
      errors: [],
    };
    const c = checkIdentities(s, findings, new Set(['o-1']));
    expect(c.places.get('o-1')).toEqual(['raw', 'dlq']);
    expect(c.crossLocation).toEqual(['o-2']);
    expect(c.sentMoreThanOnce).toEqual(['o-2']);
    // o-2 was not redriven: counted in RAW, its archive object makes it a duplicate
    expect(c.perTopic.orders).toMatchObject({ rawDistinct: 2, dlq: 0, duplicates: 1 });
    expect(c.assigned.get('o-2')).toBe('raw');
  });

  it('assigns an identity found in several places to one, RAW first, then quarantine, DLQ archive, error output', () => {
    expect(assignPlace(['dlq', 'raw'])).toBe('raw');
    expect(assignPlace(['errors', 'dlq', 'quarantine'])).toBe('quarantine');
    expect(assignPlace(['errors', 'dlq'])).toBe('dlq');
    expect(assignPlace(['errors'])).toBe('errors');
    expect(assignPlace([])).toBeUndefined();
    expect(placesKey(['dlq', 'raw', 'raw'])).toBe('raw+dlq');
  });

  it('counts a RAW+archive identity once in RAW and once in duplicates, with the breakdown by places', () => {
    const s = sent([
      ['a', one('orders', 's1')],
      ['b', one('orders', 's2')],
      ['c', one('orders', 's3')],
      ['d', one('orders', 's4')],
      ['e', one('orders', 's5')],
      ['f', one('orders', 's6')],
    ]);
    const c = checkIdentities(s, {
      // a: RAW + archive (crashed after delivery); b: two RAW rows + archive; c: RAW + quarantine; d: quarantine + archive
      raw: [
        { topic: 'orders', id: 'a' },
        { topic: 'orders', id: 'b' },
        { topic: 'orders', id: 'b' },
        { topic: 'orders', id: 'c' },
        { topic: 'orders', id: 'f' },
      ],
      quarantine: [
        { topic: 'orders', id: 's3' },
        { topic: 'orders', id: 'd' },
      ],
      // archived under its SQS MessageId: still identity a
      dlq: [
        { topic: 'orders', id: 's1' },
        { topic: 'orders', id: 'b' },
        { topic: 'orders', id: 'd' },
        { topic: 'orders', id: 'e' },
      ],
      errors: [{ topic: 'orders', id: 'e' }],
    });
    expect(Object.fromEntries(c.assigned)).toEqual({ a: 'raw', b: 'raw', c: 'raw', d: 'quarantine', e: 'dlq', f: 'raw' });
    expect(c.lost).toEqual([]);
    expect(c.rawDuplicates).toEqual(['b']);
    expect(c.crossBreakdown).toEqual({ 'raw+dlq': ['a', 'b'], 'raw+quarantine': ['c'], 'quarantine+dlq': ['d'], 'dlq+errors': ['e'] });
    expect(c.crossLocation).toEqual(['a', 'b', 'c', 'd', 'e']);
    const t = c.perTopic.orders;
    assert(t);
    expect(t).toEqual({ sentDistinct: 6, raw: 5, rawDistinct: 4, quarantine: 1, dlq: 1, errors: 0, lost: 0, duplicates: 5 });
    // the balance equation: every sent identity in exactly one column
    expect(t.rawDistinct + t.quarantine + t.dlq + t.errors + t.lost).toBe(t.sentDistinct);
  });

  it('keeps an identity found nowhere as lost and in no column', () => {
    const c = checkIdentities(
      sent([
        ['a', one('orders', 's1')],
        ['b', one('orders', 's2')],
      ]),
      { raw: [{ topic: 'orders', id: 'a' }], quarantine: [], dlq: [], errors: [] },
    );
    expect(c.lost).toEqual(['b']);
    expect(c.assigned.has('b')).toBe(false);
    expect(c.perTopic.orders).toMatchObject({ sentDistinct: 2, rawDistinct: 1, quarantine: 0, dlq: 0, errors: 0, lost: 1, duplicates: 0 });
  });
});
