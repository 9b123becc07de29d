/**
 * What changes inside one resource: every leaf attribute whose value differs between `before` and `after` of a
 * `terraform show -json` resource change, as `path: before -> after`. Sensitive values are masked, unknown ones
 * say so. JSON documents held in strings (policies) are compared key by key, not as one long string.
 */

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };
/** The shape of after_unknown / *_sensitive: `true` where the mark applies, nested like the value. */
export type Marks = boolean | Marks[] | { [k: string]: Marks } | undefined;

export interface ResourceChangeValues {
  before?: Value;
  after?: Value;
  after_unknown?: Marks;
  before_sensitive?: Marks;
  after_sensitive?: Marks;
}

export interface AttributeChange {
  path: string;
  before: string;
  after: string;
}

export const SENSITIVE = '(sensitive)';
export const UNKNOWN = '(known after apply)';
export const REMOVED = '(removed)';
export const ABSENT = '(absent)';
const MAX_VALUE_CHARS = 120;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function child(marks: Marks, key: string | number): Marks {
  if (marks === true) return true;
  if (Array.isArray(marks) && typeof key === 'number') return marks[key];
  if (isObject(marks)) return (marks as Record<string, Marks>)[String(key)];
  return undefined;
}

function render(v: Value | undefined): string {
  const text = v === undefined ? 'null' : JSON.stringify(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** A JSON object or array held in a string (IAM policies, redrive policies, dashboards), or undefined. */
export function parseDocument(v: unknown): Value | undefined {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v) as Value;
  } catch {
    return undefined;
  }
}

interface Side {
  value: Value | undefined;
  sensitive: Marks;
}

function walk(path: string, before: Side, after: Side & { unknown: Marks }, out: AttributeChange[]): void {
  if (after.unknown === true) {
    out.push({ path, before: before.sensitive === true ? SENSITIVE : render(before.value), after: UNKNOWN });
    return;
  }
  if (before.sensitive === true || after.sensitive === true) {
    if (JSON.stringify(before.value) !== JSON.stringify(after.value)) out.push({ path, before: SENSITIVE, after: SENSITIVE });
    return;
  }
  const b = parseDocument(before.value) ?? before.value;
  const a = parseDocument(after.value) ?? after.value;
  const docs = b !== before.value || a !== after.value;
  const descend = (key: string | number, label: string) =>
    walk(
      label,
      { value: (b as never)?.[key], sensitive: child(before.sensitive, key) },
      { value: (a as never)?.[key], sensitive: child(after.sensitive, key), unknown: child(after.unknown, key) },
      out,
    );
  if (isObject(b) && isObject(a)) {
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) descend(key, path ? `${path}${docs ? ' → ' : '.'}${key}` : key);
    return;
  }
  if (Array.isArray(b) && Array.isArray(a)) {
    if (b.length === a.length) {
      a.forEach((_, i) => descend(i, `${path}[${i}]`));
      return;
    }
    // Lists that grew or shrank (topics, ARNs in a policy): what left and what came, not two long lists.
    // Counted, not a set: a list may hold the same value twice.
    const left = (from: Value[], other: Value[]) => {
      const pool = other.map((v) => JSON.stringify(v));
      return from.filter((v) => {
        const i = pool.indexOf(JSON.stringify(v));
        if (i >= 0) pool.splice(i, 1);
        return i < 0;
      });
    };
    for (const v of left(b, a)) out.push({ path: `${path}[-]`, before: render(v), after: REMOVED });
    for (const v of left(a, b)) out.push({ path: `${path}[+]`, before: ABSENT, after: render(v) });
    return;
  }
  if (JSON.stringify(b ?? null) !== JSON.stringify(a ?? null)) out.push({ path, before: render(b), after: render(a) });
}

/** Every changed leaf attribute of an update or replacement, in attribute order. */
export function changedAttributes(change: ResourceChangeValues): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk('', { value: change.before ?? null, sensitive: change.before_sensitive }, { value: change.after ?? null, sensitive: change.after_sensitive, unknown: change.after_unknown }, out);
  return out;
}
