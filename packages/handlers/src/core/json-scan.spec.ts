import { scanJson, scanValidJsonObject } from './json-scan';

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

describe('scanValidJsonObject', () => {
  const corpus = [
    '{ "a" : 1 , "b":"x,}" ,"c":[1,{"d":2}] }',
    '{"json_payload" :\n  {"a": [1, {"b": "}"}]}\n, "message_id":"x"}',
    '{"s":"quote \\" brace { and \\\\","\\u0061b":{"x:y":"2026-11-26T08:15:42Z"},"e":{}, "n" : -1.5e3 ,"t":true,"z":null}',
    '{}',
    ' {"only":[[],{}]} ',
  ];

  it.each(corpus)('gives the same top-level keys and spans as scanJson: %s', (text) => {
    const lean = scanValidJsonObject(text, 10);
    const full = scanJson(text, 10);
    expect(lean.keys).toEqual([...full.topLevel!.keys()]);
    expect(lean.keys.map((_, i) => text.slice(lean.starts[i], lean.ends[i]))).toEqual([...full.topLevel!.values()].map((s) => text.slice(s.start, s.end)));
  });

  it('counts one member per key at every depth, so a repeat shows against the parsed tree', () => {
    expect(scanValidJsonObject('{"a":{"x":1,"y":[{"z":":"}]},"b":2}', 10).members).toBe(5);
    expect(scanValidJsonObject('{"a":{"x":1,"x":2}}', 10).members).toBe(3);
  });

  it('stops at the depth limit', () => {
    expect(scanValidJsonObject('{"a":[[]]}', 3).tooDeep).toBe(false);
    expect(scanValidJsonObject('{"a":[[[]]]}', 3).tooDeep).toBe(true);
  });

  it('returns members -1 rather than looping on an unterminated string', () => {
    expect(scanValidJsonObject('{"a":"open', 10).members).toBe(-1);
  });
});
