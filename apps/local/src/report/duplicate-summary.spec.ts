import { duplicatesLine } from './format-report';
import { checkIdentities } from './identity-check';
import { duplicateSummary } from './duplicate-summary';

const sent = new Map([
  ['a', { topic: 'orders', count: 1, sqsMessageIds: ['s1'] }],
  ['b', { topic: 'orders', count: 1, sqsMessageIds: ['s2'] }],
  ['c', { topic: 'orders', count: 2, sqsMessageIds: ['s3', 's3b'] }],
  ['d', { topic: 'orders', count: 1, sqsMessageIds: ['s4'] }],
]);
const check = checkIdentities(sent, {
  raw: [
    { topic: 'orders', id: 'a' },
    { topic: 'orders', id: 'b' },
    { topic: 'orders', id: 'b' },
    { topic: 'orders', id: 'c' },
    { topic: 'orders', id: 'd' },
  ],
  quarantine: [],
  dlq: [
    { topic: 'orders', id: 'a' },
    { topic: 'orders', id: 'b' },
  ],
  errors: [],
});
const count = (id: string) => sent.get(id)?.count ?? 0;

describe('duplicateSummary', () => {
  it('counts each duplicate identity once in total, by kind in the breakdown, and lists where the first were found', () => {
    const d = duplicateSummary(check, count, 20);
    expect(d).toMatchObject({ rawDuplicates: 1, crossLocation: 2, crossBreakdown: { 'raw+dlq': 2 }, sentMoreThanOnce: 1, total: 3, first: ['a', 'b', 'c'] });
    expect(d.firstFound).toEqual([
      { identity: 'a', found: ['raw', 'dlq'], countedIn: 'raw', sent: 1 },
      { identity: 'b', found: ['raw', 'raw', 'dlq'], countedIn: 'raw', sent: 1 },
      { identity: 'c', found: ['raw'], countedIn: 'raw', sent: 2 },
    ]);
  });

  it('lists only the first `limit` identities but counts them all', () => {
    const d = duplicateSummary(check, count, 2);
    expect(d.total).toBe(3);
    expect(d.first).toEqual(['a', 'b']);
    expect(d.firstFound.map((f) => f.identity)).toEqual(['a', 'b']);
  });

  it('prints the breakdown with place names and where each listed duplicate is counted', () => {
    expect(duplicatesLine(duplicateSummary(check, count, 1, { byCause: { crash: 2, producer_resend: 1, timeout: 0 }, requeuedCopies: 0 })).split('\n')).toEqual([
      'duplicates 3 (each counted once, RAW first): 1 with several RAW rows, RAW+DLQ archive 2, 1 sent more than once',
      '  by cause: crash 2, producer resend 1',
      '  first 1: a (RAW+DLQ archive -> RAW)',
    ]);
  });
});
