import type { z } from 'zod';

/** One problem line: `<file>: <key path>: <value as JSON>: <rule>`. */
export const problemLine = (file: string, keyPath: string, value: string, rule: string) => `${file}: ${keyPath}: ${value}: ${rule}`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['topics', 1, 'batch_size']` -> `topics[1].batch_size`; odd map keys are quoted: `tags["cost-center"]`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(file)';
}

const MISSING = '(missing)';
const MAX_VALUE_CHARS = 120;

export function showValue(value: unknown): string {
  if (value === undefined) return MISSING;
  const json = JSON.stringify(value);
  return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS - 1)}…` : json;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const seg of path) {
    // Own keys only: an inherited member (`toString`) is not a value the file holds.
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

type AnySchema = { _zod?: { def?: Record<string, unknown> & { type?: string } } };
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let s = schema;
  for (let guard = 0; s?._zod?.def && guard < 20; guard++) {
    const def = s._zod.def;
    if (def.type === 'pipe') s = def.in as AnySchema;
    else if (def.type && WRAPPERS.has(def.type)) s = def.innerType as AnySchema;
    else break;
  }
  return s;
}

/** Keys the schema accepts for the object at `path` (to suggest a fix for an unknown key). */
export function allowedKeys(schema: z.core.$ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let s = unwrap(schema as unknown as AnySchema);
  for (const seg of path) {
    const def = s?._zod?.def;
    if (def?.type === 'object') s = unwrap((def.shape as Record<string, AnySchema>)[String(seg)]);
    else if (def?.type === 'array') s = unwrap(def.element as AnySchema);
    else if (def?.type === 'record') s = unwrap(def.valueType as AnySchema);
    else return [];
  }
  const def = s?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    // Indexes stay within 0..b.length, where every entry is set.
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(tmp + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** How to treat several allowed keys that share a prefix with an unknown key. */
export type ProblemOptions = {
  /**
   * `first` (default): suggest the first of them in schema order.
   * `nearest`: a prefix decides only when it is unique; otherwise suggest by edit distance alone.
   */
  readonly ambiguousPrefix?: 'first' | 'nearest';
};

export function unknownKeyRule(key: string, allowed: ReadonlyArray<string>, options: ProblemOptions = {}): string {
  const lower = key.toLowerCase();
  const prefixed = allowed.filter((k) => k.startsWith(lower) || lower.startsWith(k));
  const prefixDecides = prefixed.length === 1 || (prefixed.length > 1 && (options.ambiguousPrefix ?? 'first') === 'first');
  if (prefixDecides) return `unknown key; did you mean "${prefixed[0]}"?`;
  const nearest = allowed.map((k) => ({ k, d: editDistance(lower, k) })).sort((x, y) => x.d - y.d)[0];
  if (nearest && nearest.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key; did you mean "${nearest.k}"?`;
  return allowed.length ? `unknown key; allowed keys: ${allowed.join(', ')}` : 'unknown key';
}

type Issue = z.core.$ZodIssue;
/** Keys accepted by the object at a path (for "did you mean"). */
export type AllowedKeys = (path: ReadonlyArray<PropertyKey>) => ReadonlyArray<string>;

const isRootTypeIssue = (i: Issue) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');

/**
 * A union failed: when one branch got past the type check (e.g. the value is an object and the object
 * branch found a bad field), its issues are the useful ones; otherwise the union's own message is.
 */
function unionBranch(issue: Issue): Issue[] | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const branches = issue.errors.filter((b) => b.length > 0 && !b.some(isRootTypeIssue));
  const [branch] = branches;
  if (branches.length !== 1 || !branch) return undefined;
  return branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
}

/**
 * Zod issues -> problem lines (one per problem, duplicates removed, in issue order). `keys` is the schema
 * itself or a lookup of the keys allowed at a path, for "did you mean" on an unknown key.
 */
export function issuesToLines(file: string, input: unknown, issues: ReadonlyArray<Issue>, keys: z.core.$ZodType | AllowedKeys, options: ProblemOptions = {}): string[] {
  const keysAt: AllowedKeys = typeof keys === 'function' ? keys : (path) => allowedKeys(keys, path);
  const lines: string[] = [];
  const visit = (issue: Issue) => {
    const branch = unionBranch(issue);
    if (branch) return branch.forEach(visit);
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        lines.push(problemLine(file, keyPath(path), showValue(valueAt(input, path)), unknownKeyRule(key, allowed, options)));
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
