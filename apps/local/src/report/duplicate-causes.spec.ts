import { duplicateCause, duplicatesByCause, withoutRequeueCopies } from './duplicate-causes';

const sent = new Map([
  ['p-1', { topic: 'orders', count: 2, sqsMessageIds: ['s1', 's1b'] }],
  ['c-1', { topic: 'orders', count: 2, sqsMessageIds: ['s2', 's2copy'] }],
  ['t-1', { topic: 'orders', count: 1, sqsMessageIds: ['s3'] }],
  ['x-1', { topic: 'orders', count: 1, sqsMessageIds: ['s4'] }],
  ['o-1', { topic: 'orders', count: 1, sqsMessageIds: ['s5'] }],
]);
const copies = new Set(['s2copy']);
const holders = new Map<string, 'crash' | 'timeout'>([
  ['s3', 'timeout'],
  ['s4', 'crash'],
  ['s2', 'crash'],
]);

describe('duplicate causes', () => {
  it('takes crash isolation re-queues out of the producer counts, keeping their ids', () => {
    const own = withoutRequeueCopies(sent, copies);
    expect(own.get('c-1')).toEqual({ topic: 'orders', count: 1, sqsMessageIds: ['s2', 's2copy'] });
    expect(own.get('p-1')?.count).toBe(2);
  });
  it('attributes each duplicate to one cause', () => {
    const own = withoutRequeueCopies(sent, copies);
    expect(duplicateCause('p-1', own, copies, holders)).toBe('producer_resend');
    expect(duplicateCause('c-1', own, copies, holders)).toBe('crash');
    expect(duplicateCause('t-1', own, copies, holders)).toBe('timeout');
    expect(duplicateCause('o-1', own, copies, holders)).toBe('other');
    expect(duplicateCause('c-1', own, copies, new Map())).toBe('requeue');
  });
  it('counts every duplicate identity once', () => {
    const own = withoutRequeueCopies(sent, copies);
    const check = { crossLocation: ['x-1'], rawDuplicates: ['x-1', 't-1'], sentMoreThanOnce: ['p-1'] };
    expect(duplicatesByCause(check, own, copies, holders)).toEqual({ producer_resend: 1, timeout: 1, crash: 1, requeue: 0, other: 0 });
  });
});
