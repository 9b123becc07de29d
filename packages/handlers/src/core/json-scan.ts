/**
 * A single-pass JSON structure scanner (no recursion, no object building). It finds what JSON.parse cannot
 * tell us: the exact source span of each top-level member (so `json_payload` is kept byte for byte),
 * duplicate keys at any depth, and nesting depth (bounded before anything recursive sees the text).
 * It assumes nothing about validity: JSON.parse is the validator; on malformed text the result is unused.
 */

export interface MemberSpan {
  start: number;
  end: number;
}

export interface ScanResult {
  /** Nesting deeper than the limit was found (scan stopped there). */
  tooDeep: boolean;
  /** First key that appears twice in the same object, if any. */
  duplicateKey?: string;
  /** Members of the top-level object with their value spans; null when the top level is not an object. */
  topLevel: Map<string, MemberSpan> | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index just past the closing quote of the string starting at `start` (a quote), or -1. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function decodeKey(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw;
  }
}

interface Frame {
  keys: Set<string> | null; // null for arrays
  expectKey: boolean;
}

export function scanJson(text: string, maxDepth: number): ScanResult {
  const stack: Frame[] = [];
  let topLevel: Map<string, MemberSpan> | null = null;
  let duplicateKey: string | undefined;
  let pendingKey: string | undefined;
  let valueStart = -1;
  const n = text.length;

  const closeMember = (at: number) => {
    if (topLevel && pendingKey !== undefined && valueStart >= 0) {
      let end = at;
      while (end > valueStart && isSpace(text.charCodeAt(end - 1))) end--;
      if (!topLevel.has(pendingKey)) topLevel.set(pendingKey, { start: valueStart, end });
    }
    pendingKey = undefined;
    valueStart = -1;
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    const depth = stack.length;
    if (depth === 1 && topLevel && pendingKey !== undefined && valueStart < 0 && c !== COLON) valueStart = i;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) break;
      const frame = stack[depth - 1];
      if (frame && frame.keys && frame.expectKey) {
        const key = decodeKey(text.slice(i, end));
        if (frame.keys.has(key)) duplicateKey ??= key;
        else frame.keys.add(key);
        frame.expectKey = false;
        if (depth === 1 && topLevel) pendingKey = key;
      }
      i = end - 1;
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth + 1 > maxDepth) return { tooDeep: true, duplicateKey, topLevel };
      if (depth === 0 && c === OPEN_OBJ) topLevel = new Map();
      stack.push({ keys: c === OPEN_OBJ ? new Set() : null, expectKey: c === OPEN_OBJ });
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      if (depth === 1) closeMember(i);
      stack.pop();
    } else if (c === COMMA) {
      const frame = stack[depth - 1];
      if (frame && frame.keys) frame.expectKey = true;
      if (depth === 1) closeMember(i);
    }
  }
  return { tooDeep: false, duplicateKey, topLevel };
}

export interface ValidJsonScan {
  /** Nesting deeper than the limit was found (scan stopped there). */
  tooDeep: boolean;
  /** Object members at every depth (one per colon outside strings): the parsed tree's own-key count iff no key repeats; -1 if a string is unterminated. */
  members: number;
  /** Top-level keys in source order, decoded. */
  keys: string[];
  /** Value span of each top-level key (same index as keys). */
  starts: number[];
  ends: number[];
}

/** Index of the quote closing the string that opens at `start`: the first not escaped by an odd backslash run; -1 if none. */
function closingQuote(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
  while (q >= 0) {
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - k) % 2 === 1) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/**
 * scanJson for text JSON.parse has already accepted as an object: validity lets it skip the per-object key
 * sets (duplicates show as members > parsed keys) and only decode top-level keys.
 */
export function scanValidJsonObject(text: string, maxDepth: number): ValidJsonScan {
  const keys: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let depth = 0;
  let members = 0;
  let expectKey = false;
  let valueStart = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const q = closingQuote(text, i);
      if (q < 0) return { tooDeep: false, members: -1, keys, starts, ends };
      if (depth === 1) {
        if (expectKey) {
          let escaped = false;
          for (let k = i + 1; k < q; k++) if (text.charCodeAt(k) === BACKSLASH) escaped = true;
          keys.push(escaped ? decodeKey(text.slice(i, q + 1)) : text.slice(i + 1, q));
          expectKey = false;
        } else if (valueStart < 0) valueStart = i;
      }
      i = q;
    } else if (c === COLON) {
      members++;
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > maxDepth) return { tooDeep: true, members, keys, starts, ends };
      if (depth === 1) {
        expectKey = true;
        continue;
      }
      if (valueStart < 0) valueStart = i;
      // Inside a member's value only colons and nesting matter: a tighter loop until the value closes.
      const base = depth - 1;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) {
          const q = closingQuote(text, i);
          if (q < 0) return { tooDeep: false, members: -1, keys, starts, ends };
          i = q;
        } else if (d === COLON) {
          members++;
        } else if (d === OPEN_OBJ || d === OPEN_ARR) {
          if (++depth > maxDepth) return { tooDeep: true, members, keys, starts, ends };
        } else if ((d === CLOSE_OBJ || d === CLOSE_ARR) && --depth === base) {
          break;
        }
      }
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR || c === COMMA) {
      if (depth === 1 && valueStart >= 0) {
        let end = i;
        while (end > valueStart && isSpace(text.charCodeAt(end - 1))) end--;
        starts.push(valueStart);
        ends.push(end);
        valueStart = -1;
        expectKey = c === COMMA;
      }
      if (c !== COMMA) depth--;
    } else if (depth === 1 && valueStart < 0 && !isSpace(c)) {
      valueStart = i;
    }
  }
  return { tooDeep: false, members, keys, starts, ends };
}
