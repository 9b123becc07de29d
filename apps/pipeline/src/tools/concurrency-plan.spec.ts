import { decideConcurrency } from './concurrency-plan';

const base = { topic: 'orders', environment: 'prod', current: 2, desired: 8 };

describe('decideConcurrency', () => {
  it('applies the env file value while the breaker is CLOSED', () => {
    expect(decideConcurrency({ ...base, state: 'CLOSED' })).toEqual({ action: 'apply', from: 2, to: 8 });
  });

  it('refuses while OPEN or HALF_OPEN, saying when it opened and what to do', () => {
    const open = decideConcurrency({ ...base, state: 'OPEN', openedAt: '2026-11-30T10:00:00.000Z' });
    expect(open).toEqual({ action: 'refuse', reason: expect.stringContaining('the circuit breaker of orders is OPEN since 2026-11-30T10:00:00.000Z: its mapping is disabled') });
    expect(open.action === 'refuse' && open.reason).toContain('npx cdktf deploy prod');
    expect(decideConcurrency({ ...base, state: 'HALF_OPEN' })).toEqual({ action: 'refuse', reason: expect.stringContaining('is HALF_OPEN: it is probing at the lowest concurrency') });
  });

  it('has nothing to do when the mapping already runs at the value, whatever the state', () => {
    expect(decideConcurrency({ ...base, current: 8, state: 'OPEN' })).toEqual({ action: 'unchanged', value: 8 });
  });
});
