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
