import { isoToMicros, microsToIso } from './timestamps';

describe('isoToMicros', () => {
  it('keeps microseconds and applies the zone offset', () => {
    expect(isoToMicros('2026-11-26T08:15:42.123456Z')).toBe(1795680942123456n);
    expect(isoToMicros('2026-11-26T10:15:42.123456+02:00')).toBe(1795680942123456n);
    expect(isoToMicros('2026-11-26T03:45:42.123456-0430')).toBe(1795680942123456n);
    expect(isoToMicros('2026-11-26T08:15:42Z')).toBe(1795680942000000n);
    expect(isoToMicros('2026-11-26T08:15Z')).toBe(1795680900000000n);
  });

  it('truncates digits beyond microseconds', () => {
    expect(isoToMicros('2026-11-26T08:15:42.123456789Z')).toBe(1795680942123456n);
  });

  it('handles instants before the epoch and early years', () => {
    expect(isoToMicros('1969-12-31T23:59:59.999999Z')).toBe(-1n);
    expect(isoToMicros('0050-01-01T00:00:00Z')).toBe(BigInt(Date.parse('0050-01-01T00:00:00Z')) * 1000n);
  });

  it.each(['2026-11-26T08:15:42', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-11-26T24:00:00Z', '26-11-26T08:15:42Z', 'yesterday', ''])(
    'refuses %j',
    (text) => expect(isoToMicros(text)).toBeUndefined(),
  );

  it('accepts 29 February in leap years', () => expect(isoToMicros('2024-02-29T00:00:00Z')).toBeDefined());
});

describe('microsToIso', () => {
  it('prints milliseconds, or microseconds when present', () => {
    expect(microsToIso(1795680942123000n)).toBe('2026-11-26T08:15:42.123Z');
    expect(microsToIso(1795680942123456n)).toBe('2026-11-26T08:15:42.123456Z');
    expect(microsToIso(-1n)).toBe('1969-12-31T23:59:59.999999Z');
  });
});
