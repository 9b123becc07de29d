import { scanJson } from './json-scan';

describe('scanJson', () => {
  it('maps top-level members to their value spans', () => {
    const text = '{ "a" : 1 , "b":"x,}" ,"c":[1,{"d":2}] }';
    const r = scanJson(text, 10);
    const spans = Object.fromEntries([...r.topLevel!].map(([k, s]) => [k, text.slice(s.start, s.end)]));
    expect(spans).toEqual({ a: '1', b: '"x,}"', c: '[1,{"d":2}]' });
  });

  it('returns null members for a non-object top level', () => {
    expect(scanJson('[1,2]', 10).topLevel).toBeNull();
  });

  it('finds duplicates at any depth, not across sibling objects', () => {
    expect(scanJson('{"a":{"x":1},"b":{"x":2}}', 10).duplicateKey).toBeUndefined();
    expect(scanJson('{"a":[{"x":1,"x":2}]}', 10).duplicateKey).toBe('x');
  });

  it('stops at the depth limit', () => {
    expect(scanJson('[[[]]]', 3).tooDeep).toBe(false);
    expect(scanJson('[[[[]]]]', 3).tooDeep).toBe(true);
  });

  it('handles escaped backslashes before a closing quote', () => {
    const text = '{"a":"\\\\","b":2}';
    const r = scanJson(text, 10);
    expect([...r.topLevel!.keys()]).toEqual(['a', 'b']);
  });
});
