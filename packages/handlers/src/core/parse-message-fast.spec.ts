import { isoToEpochMicros } from '@lean-ops/contracts';
import { MAX_JSON_DEPTH, parseMessage, parseMessageChecked } from './parse-message';
import assert from 'node:assert/strict';

/**
 * The regex-and-Date definition of the event_time rule: the oracle the char-by-char isoToEpochMicros must agree
 * with, value for value (microseconds, or undefined when refused or beyond 2^53).
 */
function eventTimeOracle(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(2000, month - 1, 1));
  date.setUTCFullYear(year);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[8] !== 'Z' && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const offsetMin = m[8] === 'Z' ? 0 : (m[8]?.startsWith('-') ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const ms = date.getTime() + ((day - 1) * 1440 + hour * 60 + minute - offsetMin) * 60_000 + second * 1000;
  const micros = BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return micros >= -BigInt(Number.MAX_SAFE_INTEGER) && micros <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(micros) : undefined;
}
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('isoToEpochMicros agrees with the regex-and-Date definition', () => {
  const table = [
    '2026-11-26T08:15Z',
    '2026-11-26T08:15:42Z',
    '2026-11-26T08:15:42.1Z',
    '2026-11-26T08:15:42.123456789Z',
    '2026-11-26T08:15:42.1234567890Z',
    '2026-11-26T08:15:42.Z',
    '2026-11-26T08:15:42.123+01:00',
    '2026-11-26T08:15:42-05:30',
    '2026-11-26T08:15+23:59',
    '2026-11-26T08:15+24:00',
    '2026-11-26T08:15+01:60',
    '2026-11-26T08:15+0100',
    '2026-11-26T08:15:4Z',
    '2026-11-26T08:15:60Z',
    '2026-11-26T23:59:59Z',
    '2026-11-26T24:00Z',
    '2024-02-29T00:00Z',
    '2026-02-29T00:00Z',
    '2000-02-29T00:00Z',
    '1900-02-29T00:00Z',
    '0000-02-29T00:00Z',
    '0004-02-29T00:00Z',
    '0099-02-29T00:00Z',
    '2026-04-31T00:00Z',
    '2026-12-31T00:00Z',
    '2026-00-10T00:00Z',
    '2026-01-00T00:00Z',
    '2026-1-01T00:00Z',
    '2026-11-26t08:15Z',
    '2026-11-26T08:15z',
    '2026-11-26T08:15:42.123Z ',
    ' 2026-11-26T08:15Z',
    '２０２６-11-26T08:15Z',
    '2026-11-26T08:15:42.12a3Z',
    '2026-11-26T08:15:42+01:00:00',
    '',
    'Z',
  ];
  it.each(table.map((v) => [v, eventTimeOracle(v)] as const))('%s -> %s', (value, expected) => expect(isoToEpochMicros(value)).toBe(expected));

  it('agrees on 20,000 generated near-valid values', () => {
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => {
      const x = xs[Math.floor(rand() * xs.length)];
      assert(x !== undefined, 'pick from an empty list');
      return x;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const alphabet = '0123456789-:T.Z+ x';
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let v =
        `${pad(Math.floor(rand() * 10_000), 4)}-${pad(Math.floor(rand() * 14), 2)}-${pad(Math.floor(rand() * 33), 2)}` +
        `T${pad(Math.floor(rand() * 26), 2)}:${pad(Math.floor(rand() * 62), 2)}` +
        pick(['', `:${pad(Math.floor(rand() * 62), 2)}`, `:${pad(Math.floor(rand() * 62), 2)}.${'7'.repeat(Math.floor(rand() * 11))}`]) +
        pick(['Z', `+${pad(Math.floor(rand() * 26), 2)}:${pad(Math.floor(rand() * 62), 2)}`, `-${pad(Math.floor(rand() * 26), 2)}:${pad(Math.floor(rand() * 62), 2)}`, '']);
      if (rand() < 0.3) {
        const at = Math.floor(rand() * v.length);
        v = rand() < 0.5 ? v.slice(0, at) + pick([...alphabet]) + v.slice(at + 1) : v.slice(0, at) + v.slice(at + 1);
      }
      if (isoToEpochMicros(v) !== eventTimeOracle(v)) disagreements.push(v);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});

/** Random JSON text with the shapes that trip scanners: escapes, structural characters in strings, big numbers, odd spacing. */
function generateBody(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[Math.floor(rand() * xs.length)];
    assert(x !== undefined, 'pick from an empty list');
    return x;
  };
  const ws = () => pick(['', '', '', ' ', '\n  ', '\t', ' \r\n']);
  const keys = ['a', 'b', 'id', 'x:y', 'k"q', 'brace{', '\\u0061', '0', '10', '__proto__', 'constructor', 'json_payload', 'message_id', 'é', '😀', 'a\\\\'];
  const strings = ['', 'plain', 'with \\" quote', 'back\\\\', 'colon: here', '{[,]}', 'é😀 東京', '\\u00e9\\ud83d\\ude00', '\\n\\t', '2026-11-26T08:15:42Z'];
  const numbers = ['0', '-1', '12345678901234567890', '1e400', '-0.10000000000000000000001', '3.14', '1E-7'];
  const value = (depth: number): string => {
    const r = rand();
    if (depth > 4 || r < 0.45) return pick([...numbers, ...strings.map((s) => `"${s}"`), 'true', 'false', 'null']);
    if (r < 0.7) return `[${ws()}${Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    return object(depth + 1);
  };
  const object = (depth: number): string => {
    const n = Math.floor(rand() * 5);
    const members: string[] = [];
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const k = pick(keys);
      assert(k !== undefined);
      // Mostly distinct keys (the common case); sometimes a repeat, which must be refused.
      if (used.has(k) && rand() < 0.9) continue;
      used.add(k);
      members.push(`"${k}"${ws()}:${ws()}${value(depth)}`);
    }
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  };
  const top: string[] = [];
  if (rand() < 0.8) top.push(`"message_id":${pick(['"m-1"', '""', '"a b"', '12', 'null', `"${'i'.repeat(257)}"`, '"ok-\\u0041"'])}`);
  if (rand() < 0.6) top.push(`"event_time":${pick(['"2026-11-26T08:15:42.123Z"', '"2026-11-26T08:15:42+01:00"', '"2026-02-30T00:00Z"', '"yesterday"', '1764150000', 'null'])}`);
  if (rand() < 0.3) top.push(`${pick(['"source"', '"0"', '"7"', '"__proto__"', '"_fault"', '"tags"', '"\\u006aunk"'])}:${value(2)}`);
  if (rand() < 0.9) top.push(`${pick(['"json_payload"', '"json_payload"', '"json_payload"', '"json\\u005fpayload"'])}${ws()}:${ws()}${rand() < 0.9 ? object(2) : value(2)}`);
  if (rand() < 0.2) top.push(`"json_payload":${object(2)}`);
  for (let i = top.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const [a, b] = [top[i], top[j]];
    assert(a !== undefined && b !== undefined); // j <= i < top.length
    [top[i], top[j]] = [b, a];
  }
  let body = `${ws()}{${ws()}${top.join(`${ws()},${ws()}`)}${ws()}}${ws()}`;
  if (rand() < 0.05) body = body.slice(0, Math.floor(rand() * body.length));
  if (rand() < 0.03) body = `[${body}]`;
  return body;
}

describe('parseMessage agrees with the scan-then-parse reference path', () => {
  it('on 5,000 generated bodies, delivered and refused alike', () => {
    const rand = rng(7);
    const outcomes = new Map<string, number>();
    const mismatches: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const body = generateBody(rand);
      const fast = parseMessage(body);
      const reference = parseMessageChecked(body);
      if (JSON.stringify(fast) !== JSON.stringify(reference) || (fast.ok && reference.ok && fast.payloadText !== reference.payloadText)) mismatches.push(body);
      const key = fast.ok ? 'ok' : fast.reason;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The corpus reaches both sides: hundreds deliver, and every refusal the fast path must hand over occurs.
    expect(outcomes.get('ok')).toBeGreaterThan(500);
    const reasons = ['VALIDATION_ERROR', 'MALFORMED_JSON', 'INVALID_MESSAGE_ID', 'INVALID_EVENT_TIME', 'MISSING_PAYLOAD', 'INVALID_PAYLOAD', 'NOT_AN_OBJECT'];
    expect(reasons.filter((r) => !outcomes.has(r))).toEqual([]);
  });

  it('keeps payload keys, extra attributes and their order as the reference does', () => {
    const body = '{"7":1,"source":"crm","json_payload":{"b":1,"10":2,"a":{"x":[1,{"y":2}]}},"message_id":"m"}';
    expect(parseMessage(body)).toEqual(parseMessageChecked(body));
    expect(parseMessage(body)).toMatchObject({
      payloadKeys: ['10', 'b', 'a'],
      extraAttributes: ['7', 'source'],
    });
  });

  it('hands duplicate keys that hide behind an escape or inside arrays to the reference', () => {
    for (const body of ['{"json_payload":{"a":1,"\\u0061":2}}', '{"json_payload":{"l":[{"k":1},{"k":1,"k":2}]}}', '{"json\\u005fpayload":{},"json_payload":{}}']) {
      expect(parseMessage(body)).toMatchObject({
        ok: false,
        reason: 'VALIDATION_ERROR',
      });
      expect(parseMessage(body)).toEqual(parseMessageChecked(body));
    }
  });

  it('refuses depth past the bound on text JSON.parse accepts', () => {
    const body = `{"json_payload":{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}}`;
    expect(parseMessage(body)).toMatchObject({
      ok: false,
      reason: 'VALIDATION_ERROR',
    });
  });
});

describe('parseMessage with an enumerable property on Object.prototype', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).extra;
  });

  it('still refuses a duplicate key and delivers a clean body', () => {
    Object.defineProperty(Object.prototype, 'extra', {
      value: 1,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    expect(parseMessage('{"json_payload":{"a":{"b":1},"a":2}}')).toMatchObject({
      ok: false,
      reason: 'VALIDATION_ERROR',
    });
    expect(parseMessage('{"json_payload":{"a":{"b":1}}}')).toMatchObject({
      ok: true,
      payloadText: '{"a":{"b":1}}',
    });
  });
});

describe('damaged text', () => {
  const DAMAGED = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  it.each(['ok 😀', 'lone \uD83D', '\uDE00 lone', 'swapped \uDE00\uD83D', 'end \uD83D', 'repl \uFFFD', 'pair \uD83D\uDE00\uD83D\uDE00'])(
    '%j: refused exactly when the regex definition finds damage',
    (s) => {
      const body = `{"json_payload":{"s":"${s}"}}`;
      const refused = !parseMessage(body).ok && (parseMessage(body) as { reason: string }).reason === 'INVALID_UTF8';
      expect(refused).toBe(DAMAGED.test(body));
    },
  );
});
