import type { z } from 'zod';

/** One problem line: `<file>: <key path>: <value as JSON>: <rule>` (the same shape as environment-file errors). */
export const problemLine = (file: string, keyPath: string, value: string, rule: string) => `${file}: ${keyPath}: ${value}: ${rule}`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_VALUE_CHARS = 120;

/** `['topics', 'orders', 'mix']` -> `topics.orders.mix`; odd keys are quoted: `topics["Orders!"]`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(file)';
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const json = JSON.stringify(value);
  return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS - 1)}…` : json;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export function unknownKeyRule(key: string, allowed: ReadonlyArray<string>): string {
  const lower = key.toLowerCase();
  const prefixed = allowed.filter((k) => k.startsWith(lower) || lower.startsWith(k));
  if (prefixed.length === 1) return `unknown key; did you mean "${prefixed[0]}"?`;
  const nearest = allowed.map((k) => ({ k, d: editDistance(lower, k) })).sort((x, y) => x.d - y.d)[0];
  if (nearest && nearest.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key; did you mean "${nearest.k}"?`;
  return `unknown key; allowed keys: ${allowed.join(', ')}`;
}

type Issue = z.core.$ZodIssue;
/** Keys accepted by the object at a path (for "did you mean"), looked up by the caller's schema knowledge. */
export type AllowedKeys = (path: ReadonlyArray<PropertyKey>) => ReadonlyArray<string>;

const isRootTypeIssue = (i: Issue) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');

/**
 * A union failed: when one branch got past the type check (e.g. the value is an object and the object
 * branch found a bad field), its issues are the useful ones; otherwise the union's own message is.
 */
function unionBranch(issue: Issue): Issue[] | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const branches = issue.errors.filter((b) => b.length > 0 && !b.some(isRootTypeIssue));
  if (branches.length !== 1) return undefined;
  return branches[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
}

/** Zod issues -> problem lines (one per problem, duplicates removed). */
export function issuesToLines(file: string, input: unknown, issues: ReadonlyArray<Issue>, allowedKeys: AllowedKeys): string[] {
  const lines: string[] = [];
  const visit = (issue: Issue) => {
    const branch = unionBranch(issue);
    if (branch) return branch.forEach(visit);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        lines.push(problemLine(file, keyPath(path), showValue(valueAt(input, path)), unknownKeyRule(key, allowedKeys(issue.path))));
      }
      return;
    }
    if (issue.code === 'invalid_key') {
      // A record key failed (e.g. a bad topic name): report the key's own rule at that key.
      const rule = issue.issues[0]?.message ?? issue.message;
      lines.push(problemLine(file, keyPath(issue.path), showValue(valueAt(input, issue.path)), rule));
      return;
    }
    const params = issue.code === 'custom' ? (issue.params as { value?: unknown } | undefined) : undefined;
    const value = params && 'value' in params ? params.value : valueAt(input, issue.path);
    const rule = issue.code === 'invalid_type' && value === undefined ? 'required key is missing' : issue.message;
    lines.push(problemLine(file, keyPath(issue.path), showValue(value), rule));
  };
  issues.forEach(visit);
  return [...new Set(lines)];
}
