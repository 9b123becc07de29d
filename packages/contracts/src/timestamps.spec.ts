import { epochMicrosOf, epochMicrosToIso, isoToEpochMicros } from './timestamps';

describe('isoToEpochMicros', () => {
  it('keeps microseconds and applies the zone offset', () => {
    expect(isoToEpochMicros('2026-11-26T08:15:42.123456Z')).toBe(1795680942123456);
    expect(isoToEpochMicros('2026-11-26T10:15:42.123456+02:00')).toBe(1795680942123456);
    expect(isoToEpochMicros('2026-11-26T03:45:42.123456-04:30')).toBe(1795680942123456);
    expect(isoToEpochMicros('2026-11-26T08:15:42Z')).toBe(1795680942000000);
    expect(isoToEpochMicros('2026-11-26T08:15Z')).toBe(1795680900000000);
    expect(isoToEpochMicros('2026-11-26T08:15:42.5Z')).toBe(1795680942500000);
  });

  it('agrees with Date.parse on millisecond instants', () => {
    for (const text of ['2024-02-29T23:59:59.999Z', '2000-03-01T00:00:00.000+14:00', '1999-12-31T12:00:00.001-11:30', '2100-02-28T01:02:03.004Z']) {
      expect(isoToEpochMicros(text)).toBe(Date.parse(text) * 1000);
    }
  });

  it('truncates digits beyond microseconds', () => {
    expect(isoToEpochMicros('2026-11-26T08:15:42.123456789Z')).toBe(1795680942123456);
  });

  it('handles instants before the epoch', () => {
    expect(isoToEpochMicros('1969-12-31T23:59:59.999999Z')).toBe(-1);
    expect(isoToEpochMicros('1900-01-01T00:00:00Z')).toBe(Date.parse('1900-01-01T00:00:00Z') * 1000);
  });

  it('refuses instants whose microseconds are not exact JSON numbers (beyond 2^53)', () => {
    expect(isoToEpochMicros('2255-06-05T23:47:34Z')).toBeDefined();
    expect(isoToEpochMicros('2300-01-01T00:00:00Z')).toBeUndefined();
    expect(isoToEpochMicros('0050-01-01T00:00:00Z')).toBeUndefined();
  });

  it.each([
    '2026-11-26T08:15:42',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-11-26T24:00:00Z',
    '2026-11-26T08:15:42.Z',
    '2026-11-26T08:15:42.1234567890Z',
    '2026-11-26T08:15:42+0100',
    '2026-11-26 08:15:42Z',
    '2026-11-26T08:15:42Zjunk',
    '26-11-26T08:15:42Z',
    'yesterday',
    '',
  ])('refuses %j', (text) => expect(isoToEpochMicros(text)).toBeUndefined());

  it('accepts 29 February in leap years only', () => {
    expect(isoToEpochMicros('2024-02-29T00:00:00Z')).toBeDefined();
    expect(isoToEpochMicros('2100-02-29T00:00:00Z')).toBeUndefined();
  });
});

describe('epochMicrosToIso', () => {
  it('prints milliseconds, or microseconds when present', () => {
    expect(epochMicrosToIso(1795680942123000)).toBe('2026-11-26T08:15:42.123Z');
    expect(epochMicrosToIso(1795680942123456n)).toBe('2026-11-26T08:15:42.123456Z');
    expect(epochMicrosToIso(-1)).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('round-trips with isoToEpochMicros', () => {
    expect(isoToEpochMicros(epochMicrosToIso(1795680942123456))).toBe(1795680942123456);
  });
});

describe('epochMicrosOf', () => {
  it('is the clock in microseconds', () => expect(epochMicrosOf(new Date('2026-11-26T08:15:42.123Z'))).toBe(1795680942123000));
});
