/**
 * CloudWatch metric math for one period: numbers, metric ids, + - * /, comparisons, AND / OR, and IF(cond, a, b)
 * (CloudWatch User Guide, "Using metric math": "Metric math syntax and functions"). Comparisons and logical
 * operators give 1 or 0, as CloudWatch's do. Anything else (other functions, SEARCH) is refused when the alarm is
 * built, so an alarm the stand-in cannot evaluate stops startup instead of staying silently OK.
 */
export type MathNode =
  | { kind: 'num'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'neg'; arg: MathNode }
  | { kind: 'bin'; op: string; left: MathNode; right: MathNode }
  | { kind: 'if'; cond: MathNode; then: MathNode; else: MathNode };

export class MetricMathError extends Error {
  override readonly name = 'MetricMathError';
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/(),<>]))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new MetricMathError(`metric math ${JSON.stringify(text)}: unexpected ${JSON.stringify(text.slice(at, at + 10))}`);
    out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return out;
}

const LEVELS: string[][] = [['OR'], ['AND'], ['>=', '<=', '==', '!=', '>', '<'], ['+', '-'], ['*', '/']];

/** Parses an expression; throws MetricMathError naming what it does not support. */
export function parseMetricMath(text: string): MathNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (t: string) => {
    if (tokens[i] !== t) throw new MetricMathError(`metric math ${JSON.stringify(text)}: expected ${t}, got ${tokens[i] ?? 'end'}`);
    i++;
  };
  const level = (n: number): MathNode => {
    if (n === LEVELS.length) return unary();
    let left = level(n + 1);
    while (peek() !== undefined && LEVELS[n]!.includes(peek()!.toUpperCase())) {
      const op = tokens[i++]!.toUpperCase();
      left = { kind: 'bin', op, left, right: level(n + 1) };
    }
    return left;
  };
  const unary = (): MathNode => {
    if (peek() === '-') {
      i++;
      return { kind: 'neg', arg: unary() };
    }
    const t = tokens[i++];
    if (t === undefined) throw new MetricMathError(`metric math ${JSON.stringify(text)}: unexpected end`);
    if (t === '(') {
      const inner = level(0);
      expect(')');
      return inner;
    }
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) };
    if (t.toUpperCase() === 'IF' && peek() === '(') {
      i++;
      const cond = level(0);
      expect(',');
      const then = level(0);
      expect(',');
      const otherwise = level(0);
      expect(')');
      return { kind: 'if', cond, then, else: otherwise };
    }
    if (peek() === '(') throw new MetricMathError(`metric math ${JSON.stringify(text)}: function ${t} is not supported by the local CloudWatch`);
    return { kind: 'id', name: t };
  };
  const tree = level(0);
  if (i !== tokens.length) throw new MetricMathError(`metric math ${JSON.stringify(text)}: unexpected ${tokens[i]}`);
  return tree;
}

/** Metric ids the expression reads. */
export function idsOf(node: MathNode): string[] {
  switch (node.kind) {
    case 'num':
      return [];
    case 'id':
      return [node.name];
    case 'neg':
      return idsOf(node.arg);
    case 'bin':
      return [...idsOf(node.left), ...idsOf(node.right)];
    case 'if':
      return [...idsOf(node.cond), ...idsOf(node.then), ...idsOf(node.else)];
  }
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '>': (a, b) => +(a > b),
  '<': (a, b) => +(a < b),
  '>=': (a, b) => +(a >= b),
  '<=': (a, b) => +(a <= b),
  '==': (a, b) => +(a === b),
  '!=': (a, b) => +(a !== b),
  AND: (a, b) => +(a !== 0 && b !== 0),
  OR: (a, b) => +(a !== 0 || b !== 0),
};

/**
 * The expression's value for one period. A metric without a datapoint in the period counts as 0 when another
 * metric of the expression has one (CloudWatch aligns series on their timestamps; the docs do not say what a missing
 * operand does, so the stricter choice keeps the failures visible); with no datapoint at all the value is missing.
 */
export function evaluateMetricMath(node: MathNode, values: Readonly<Record<string, number | undefined>>): number | undefined {
  const ids = idsOf(node);
  if (ids.length > 0 && ids.every((id) => values[id] === undefined)) return undefined;
  const value = (n: MathNode): number => {
    switch (n.kind) {
      case 'num':
        return n.value;
      case 'id':
        return values[n.name] ?? 0;
      case 'neg':
        return -value(n.arg);
      case 'bin':
        return BINARY[n.op]!(value(n.left), value(n.right));
      case 'if':
        return value(n.cond) !== 0 ? value(n.then) : value(n.else);
    }
  };
  const out = value(node);
  return Number.isFinite(out) ? out : undefined;
}

/** `SELECT MAX(WaterBalanceGap) FROM "LeanOps"` (Metrics Insights, no WHERE / GROUP BY): the parts, or undefined. */
export function parseMetricsInsights(text: string): { fn: 'MAX' | 'MIN' | 'SUM' | 'AVG' | 'COUNT'; metric: string; namespace: string } | undefined {
  const m = /^\s*SELECT\s+(MAX|MIN|SUM|AVG|COUNT)\(\s*([A-Za-z0-9_.-]+)\s*\)\s+FROM\s+(?:"([^"]+)"|([A-Za-z0-9_/.-]+))\s*$/i.exec(text);
  if (!m) return undefined;
  return { fn: m[1]!.toUpperCase() as 'MAX', metric: m[2]!, namespace: m[3] ?? m[4]! };
}
