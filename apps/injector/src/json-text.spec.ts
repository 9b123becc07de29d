import { firstErrorOffset, lineColumn, parseJsonText } from './json-text';

describe('parseJsonText', () => {
  it('accepts a UTF-8 byte order mark', () => {
    expect(parseJsonText('\ufeff{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('locates an error V8 reports without a position', () => {
    const r = parseJsonText('{\n  "a": [1, 2,, 3]\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ line: 2, column: 14, message: "Unexpected token ','" });
  });

  it('points at the end for a truncated document', () => {
    const r = parseJsonText('{"a": [1, 2');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ line: 1, column: 12 });
  });

  it.each([
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{"a":"x\\q"}', 8],
    ['{"a":"\\u12G4"}', 10],
    ['{"a":01}', 6],
    ['[1] x', 4],
    ['{a:1}', 1],
    ['"\u0001"', 1],
  ])('finds the first bad character of %j at %d, as V8 reports it', (text, offset) => {
    expect(firstErrorOffset(text)).toBe(offset);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
