/**
 * JSON.parse with a line and column for syntax errors. V8 gives a character position for some errors
 * and only a snippet for others, so the position comes from a small scan of the text instead.
 */

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** The offending line, trimmed to a readable length. */
  excerpt: string;
  message: string;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem };

const EXCERPT_CHARS = 60;

export function parseJsonText(text: string): ParsedJson {
  // A UTF-8 BOM is not JSON; editors on Windows add one, so accept it rather than report column 1.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    const offset = firstErrorOffset(body);
    const { line, column } = lineColumn(body, offset);
    const lineText = body.split('\n')[line - 1] ?? '';
    const start = Math.max(0, column - 1 - EXCERPT_CHARS / 2);
    return {
      ok: false,
      problem: { line, column, excerpt: lineText.slice(start, start + EXCERPT_CHARS).trim(), message: cleanMessage((err as Error).message) },
    };
  }
}

export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/** Offset of the first character that makes `text` invalid JSON (text.length if it ends too early). */
export function firstErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = () => {
    i++;
    while (i < n) {
      const c = text.charAt(i);
      if (c === '"') return void i++;
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++)
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          i += 5;
        } else if (i < n && ESCAPES.includes(text.charAt(i))) i++;
        else fail();
      } else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0].length === 0) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < n ? i : n;
  } catch (at) {
    return at as number;
  }
}

function cleanMessage(message: string): string {
  return message
    .replace(/^(Unexpected token '.+?'),.*$/s, '$1')
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '')
    .trim();
}
