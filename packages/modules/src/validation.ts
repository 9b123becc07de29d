/**
 * Prop validation shared by the modules: a bad combination fails at construction with one message that names
 * the construct, the prop, the value, the rule and the fix.
 */
export class ModulePropsError extends Error {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly value: unknown,
    readonly rule: string,
    readonly fix: string,
  ) {
    super(`${construct}: ${prop} = ${formatValue(value)} is invalid: ${rule}. Fix: ${fix}`);
    this.name = 'ModulePropsError';
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws a ModulePropsError unless `ok` holds. */
export function requireProp(ok: boolean, construct: string, prop: string, value: unknown, rule: string, fix: string): void {
  if (!ok) throw new ModulePropsError(construct, prop, value, rule, fix);
}

/** Integer within [min, max] (inclusive). */
export function requireIntInRange(construct: string, prop: string, value: number, min: number, max: number, fix?: string): void {
  requireProp(Number.isInteger(value) && value >= min && value <= max, construct, prop, value, `must be an integer from ${min} to ${max}`, fix ?? `set ${prop} to a value from ${min} to ${max}`);
}

/** CloudWatch Logs accepts only a fixed set of retention values. */
export function requireLogRetention(construct: string, prop: string, value: number, allowed: readonly number[]): void {
  requireProp(
    allowed.includes(value),
    construct,
    prop,
    value,
    `CloudWatch Logs accepts only ${allowed.join(', ')} days`,
    `use one of the accepted values, e.g. ${allowed.find((d) => d >= value) ?? allowed[allowed.length - 1]}`,
  );
}
