import type { TerraformResource } from './terraform-json';

/** `${aws_sqs_queue.name.arn}`: a reference to another resource's attribute (Terraform interpolation syntax). */
const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

export class UnresolvedReferenceError extends Error {
  override readonly name = 'UnresolvedReferenceError';
}

/** Attribute values of one resource as the local stack creates it (ARN, URL, name, ...). */
export type LocalAttributes = Record<string, string>;

/** address -> attributes, filled for every resource the local stack knows how to name. */
export type AttributeTable = ReadonlyMap<string, LocalAttributes>;

/**
 * Replaces every `${type.name.attribute}` in a string with the local value, also inside JSON text (a redrive
 * policy, LEAN_OPS_TOPICS). A reference to an unknown resource or attribute throws, naming it and where it was.
 */
export function resolveString(text: string, table: AttributeTable, where: string): string {
  return text.replace(REFERENCE, (whole, type: string, name: string, attribute: string) => {
    const attrs = table.get(`${type}.${name}`);
    if (!attrs) throw new UnresolvedReferenceError(`${where}: ${whole} names a resource the stack does not hold`);
    const value = attrs[attribute];
    if (value === undefined) throw new UnresolvedReferenceError(`${where}: ${whole}: the local stack has no ${attribute} for ${type}`);
    return value;
  });
}

/** Resolves references in every string of a JSON value (arguments of one resource). */
export function resolveDeep<T>(value: T, table: AttributeTable, where: string): T {
  if (typeof value === 'string') return resolveString(value, table, where) as T;
  if (Array.isArray(value)) return value.map((v, i) => resolveDeep(v, table, `${where}[${i}]`)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, table, `${where}.${k}`)])) as T;
  }
  return value;
}

/** A resource's arguments with every reference resolved. */
export const resolvedArgs = (r: TerraformResource, table: AttributeTable): Record<string, unknown> => resolveDeep(r.args, table, r.address);
