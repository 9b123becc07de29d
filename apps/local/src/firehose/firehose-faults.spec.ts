import type { Fault } from '@lean-ops/contracts';
import { decideCall, type FaultLookup } from './firehose-faults';

/** Same contract as faults/fault-registry.ts: consumeOnce is true once per message and fault. */
function fakeRegistry(faults: Record<string, Fault>): FaultLookup {
  const used = new Set<string>();
  return {
    faultFor: (id) => faults[id],
    consumeOnce: (id, f) => {
      if (faults[id] !== f || used.has(id)) return false;
      used.add(id);
      return true;
    },
  };
}

describe('decideCall', () => {
  const now = 1_000;
  it('rejects the whole call containing a firehose_reject record, every time', () => {
    const reg = fakeRegistry({ bad: 'firehose_reject' });
    expect(decideCall(['a', 'bad'], reg, {}, now).kind).toBe('reject');
    expect(decideCall(['bad'], reg, {}, now).kind).toBe('reject');
    expect(decideCall(['a'], reg, {}, now)).toEqual({ kind: 'accept', failures: [undefined] });
  });
  it('fails a firehose_throttle_once record per record on its first attempt only', () => {
    const reg = fakeRegistry({ t: 'firehose_throttle_once' });
    expect(decideCall(['a', 't'], reg, {}, now)).toEqual({ kind: 'accept', failures: [undefined, { errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down.' }] });
    expect(decideCall(['t'], reg, {}, now)).toEqual({ kind: 'accept', failures: [undefined] });
  });
  it('fails a processing_error record per record every time with a transient code', () => {
    const reg = fakeRegistry({ p: 'processing_error' });
    for (let i = 0; i < 3; i++) expect(decideCall(['p'], reg, {}, now)).toEqual({ kind: 'accept', failures: [{ errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' }] });
  });
  it('ignores faults that are not Firehose faults', () => {
    expect(decideCall(['c'], fakeRegistry({ c: 'lambda_crash_once' }), {}, now)).toEqual({ kind: 'accept', failures: [undefined] });
  });
  it('throttles whole calls until throttleUntil, then accepts', () => {
    expect(decideCall(['a'], undefined, { throttleUntil: now + 1 }, now).kind).toBe('throttle');
    expect(decideCall(['a'], undefined, { throttleUntil: now }, now).kind).toBe('accept');
  });
  it('fails a share of records per record at perRecordFailureRate', () => {
    const seq = [0.1, 0.9, 0.1, 0.9].values();
    const d = decideCall(['a', 'b', 'c', 'd'], undefined, { perRecordFailureRate: 0.2 }, now, () => seq.next().value ?? 1);
    expect(d.kind === 'accept' && d.failures.map((f) => f?.errorCode ?? null)).toEqual(['ServiceUnavailableException', null, 'ServiceUnavailableException', null]);
  });
});
