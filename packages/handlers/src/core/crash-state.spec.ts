import { assessCrash, formatCrashState, parseCrashState, planCareful, requeuedFromOf } from './crash-state';

const limits = { quarantineAfter: 2, maxReceiveCount: 3, requeueLimit: 10 };

describe('assessCrash', () => {
  it('a second receive without a marker came back from an invocation that never answered', () => {
    expect(assessCrash(2, undefined, undefined, undefined)).toEqual({ state: { crashes: 1, pins: 0 }, returned: true, suspect: false });
  });
  it('a record returned for retry is not a crash suspect', () => {
    const a = assessCrash(2, { seenReceive: 1, answeredReceive: 1 }, undefined, undefined);
    expect(a).toEqual({ state: { crashes: 0, pins: 0 }, returned: false, suspect: false });
  });
  it('pins the record a careful run was processing when its invocation died', () => {
    const marker = { seenReceive: 2, crashCount: 1, runId: 'r', runSeq: 7, runReceive: 2 };
    expect(assessCrash(3, marker, undefined, { last: 7 })).toEqual({ state: { crashes: 2, pins: 1 }, returned: true, suspect: true });
    // Its run-mates processed before or after it are not pinned.
    expect(assessCrash(3, { ...marker, runSeq: 6 }, undefined, { last: 7 }).state.pins).toBe(0);
    // A run that processed everything and then died (e.g. during delivery) pins nobody.
    expect(assessCrash(3, marker, undefined, { last: -1 }).state.pins).toBe(0);
  });
  it('a run that died in a group of several makes its records suspects, pinning none', () => {
    const marker = { seenReceive: 2, crashCount: 1, runId: 'r', runSeq: 9, runReceive: 2 };
    expect(assessCrash(3, marker, undefined, { last: 8, end: 12 })).toEqual({ state: { crashes: 2, pins: 0 }, returned: true, suspect: true });
    expect(assessCrash(3, { ...marker, runSeq: 12 }, undefined, { last: 8, end: 12 }).suspect).toBe(false);
    expect(assessCrash(3, { ...marker, runSeq: 7 }, undefined, { last: 8, end: 12 }).suspect).toBe(false);
    // A group of one pins.
    expect(assessCrash(3, marker, undefined, { last: 9, end: 10 })).toEqual({ state: { crashes: 2, pins: 1 }, returned: true, suspect: true });
    // Finished runs mark nobody.
    expect(assessCrash(3, marker, undefined, { last: -1, end: -1 }).suspect).toBe(false);
  });
  it('counts every unanswered receive since the marker, one answered among them excepted', () => {
    expect(assessCrash(5, { seenReceive: 2, answeredReceive: 3, crashCount: 1 }, undefined, undefined).state.crashes).toBe(3);
  });
  it('a re-queued copy carries its state and stays a suspect until answered', () => {
    expect(assessCrash(1, undefined, { crashes: 2, pins: 1 }, undefined)).toEqual({ state: { crashes: 2, pins: 1 }, returned: true, suspect: true });
    expect(assessCrash(2, { seenReceive: 1, answeredReceive: 1, crashCount: 2, crashPins: 1 }, { crashes: 2, pins: 1 }, undefined).returned).toBe(false);
  });
});

describe('planCareful', () => {
  const returned = (crashes: number, pins: number) => ({ state: { crashes, pins }, returned: true, suspect: false });
  it('quarantines a record responsible for N crashes, whatever its receive count', () => {
    expect(planCareful(2, returned(2, 2), limits)).toBe('quarantine');
  });
  it('re-queues a returned record on its last receive instead of risking the DLQ', () => {
    expect(planCareful(3, returned(2, 1), limits)).toBe('requeue');
    expect(planCareful(3, returned(10, 1), limits)).toBe('run');
  });
  it('runs returned records carefully and everything else normally', () => {
    expect(planCareful(2, returned(1, 0), limits)).toBe('run');
    expect(planCareful(3, { state: { crashes: 0, pins: 0 }, returned: false, suspect: false }, limits)).toBe('normal');
  });
});

describe('crash state attribute', () => {
  it('round-trips and refuses anything else', () => {
    expect(parseCrashState(formatCrashState({ crashes: 3, pins: 1 }))).toEqual({ crashes: 3, pins: 1 });
    expect(parseCrashState('x')).toBeUndefined();
    expect(parseCrashState(undefined)).toBeUndefined();
  });
  it('names the original a copy was made from', () => {
    const text = formatCrashState({ crashes: 2, pins: 0 }, '1ff74a19-6016-4423-8f68-e1deb5a50b87');
    expect(text).toBe('2:0:1ff74a19-6016-4423-8f68-e1deb5a50b87');
    expect(parseCrashState(text)).toEqual({ crashes: 2, pins: 0 });
    expect(requeuedFromOf(text)).toBe('1ff74a19-6016-4423-8f68-e1deb5a50b87');
    expect(requeuedFromOf('2:0')).toBeUndefined();
  });
});
