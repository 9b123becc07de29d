import * as fs from 'node:fs';

/** A synthesized stack (`cdk.tf.json`): the JSON form of a Terraform configuration. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

/** One resource block: `type.name` and its arguments (references not yet resolved). */
export interface TerraformResource {
  type: string;
  name: string;
  address: string;
  args: Record<string, unknown>;
}

export class StackFileError extends Error {
  override readonly name = 'StackFileError';
}

export function readStackJson(file: string): TerraformJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StackFileError(`${file}: cannot read the synthesized stack: ${(err as Error).message}`);
  }
  try {
    const json = JSON.parse(text) as TerraformJson;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object');
    return json;
  } catch (err) {
    throw new StackFileError(`${file}: not a Terraform JSON configuration: ${(err as Error).message}`);
  }
}

/** Every resource of the stack, in file order. The `//` metadata key cdktf adds is dropped. */
export function resourcesOf(json: TerraformJson): TerraformResource[] {
  const out: TerraformResource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const { ['//']: _meta, ...args } = raw;
      out.push({ type, name, address: `${type}.${name}`, args });
    }
  }
  return out;
}

/** Resources of one type. */
export const resourcesOfType = (all: readonly TerraformResource[], type: string): TerraformResource[] => all.filter((r) => r.type === type);

/** A nested block's arguments: Terraform JSON carries a block as an object or a one-element list. */
export const firstBlock = (v: unknown): Record<string, unknown> => (Array.isArray(v) ? ((v[0] ?? {}) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>));
