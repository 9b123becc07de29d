import { createHash } from 'node:crypto';

/**
 * A Terraform state (format v4) built from a plan of the base: every resource as the base plan would leave it.
 *
 * Why this way: a plan of the head against this state, with `-refresh=false`, lets the real terraform and the real
 * provider decide update in place versus replace, without AWS. `terraform import` needs AWS; `terraform test` with a
 * mock provider keeps its state in memory. Values that only AWS would compute (ids, ARNs, defaults) are unknown in the
 * plan; they are filled with deterministic placeholders of the attribute's schema type (ARNs that parse as ARNs, SQS
 * URLs, key UUIDs), so that a later plan sees them as known. Attributes that reference such values are resolved by
 * planning the base again against the state until Terraform reports no change (see plan-review-base.ts).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Shape = boolean | Shape[] | { [k: string]: Shape };

export interface SchemaAttribute {
  type: unknown;
}
export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group'; block: SchemaBlock }>;
}
export interface ResourceSchema {
  version: number;
  block: SchemaBlock;
}
/** `terraform providers schema -json`, reduced to what the state needs. */
export interface ProviderSchemas {
  provider_schemas: Record<string, { resource_schemas?: Record<string, ResourceSchema> }>;
}

export interface PlanResourceChange {
  address: string;
  module_address?: string;
  mode?: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  change: { actions: string[]; after?: Json; after_unknown?: Shape };
}

export interface PlanForState {
  terraform_version?: string;
  resource_changes?: PlanResourceChange[];
  configuration?: { root_module?: { resources?: Array<{ address: string; provider_config_key?: string }> } };
}

export interface StateV4 {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, never>;
  resources: Array<{
    module?: string;
    mode: 'managed';
    type: string;
    name: string;
    provider: string;
    instances: Array<{ index_key?: string | number; schema_version: number; attributes: Json; sensitive_attributes: never[] }>;
  }>;
}

/** Where placeholders point: the environment's region and account, as AWS would. */
export interface PlaceholderContext {
  region: string;
  account: string;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** A UUID derived from the address: the same resource gets the same placeholder on every pass. */
function placeholderUuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The service part of an ARN for a resource type: `aws_sqs_queue` -> `sqs`. */
const serviceOf = (type: string) => (type.replace(/^aws_/, '').split('_')[0] ?? '').replace('cloudwatch', 'logs');

interface FillContext extends PlaceholderContext {
  address: string;
  type: string;
  /** Known values of the resource (its name, bucket, function name). */
  values: Record<string, Json>;
}

/** A plausible string for an unknown attribute: ARN-like names parse as ARNs, ids follow the resource's name. */
export function stringPlaceholder(attribute: string, ctx: FillContext): string {
  const name = [ctx.values.name, ctx.values.bucket, ctx.values.function_name].find((v) => typeof v === 'string' && v !== '') as string | undefined;
  // A name that is itself an ARN (an event source mapping's function) would nest ARNs; such resources have UUIDs.
  const label =
    name && !name.startsWith('arn:')
      ? name
      : name
        ? placeholderUuid(ctx.address)
        : ctx.address
            .split('.')
            .pop()!
            .replace(/[^A-Za-z0-9-]/g, '-');
  if (attribute === 'arn' || attribute.endsWith('_arn')) {
    if (ctx.type.startsWith('aws_s3_')) return `arn:aws:s3:::${label}`;
    return `arn:aws:${serviceOf(ctx.type)}:${ctx.region}:${ctx.account}:${label}`;
  }
  if (ctx.type === 'aws_sqs_queue' && (attribute === 'url' || attribute === 'id')) return `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${label}`;
  if (ctx.type === 'aws_kms_key' && (attribute === 'id' || attribute === 'key_id')) return placeholderUuid(ctx.address);
  if (attribute === 'id' || attribute === 'uuid') return name ?? placeholderUuid(ctx.address);
  return '';
}

/** Type of a Terraform schema type expression (`"string"`, `["list","string"]`, `["object",{...}]`). */
function placeholderOfType(type: unknown, attribute: string, ctx: FillContext): Json {
  if (type === 'string') return stringPlaceholder(attribute, ctx);
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'tuple') return [];
    if (kind === 'map') return {};
    if (kind === 'object' && isObject(inner)) {
      return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, placeholderOfType(t, k, ctx)]));
    }
  }
  return null;
}

/** Replace every unknown (marked `true` in after_unknown) by a placeholder of its schema type. */
function fillBlock(value: Record<string, Json>, unknown: Shape | undefined, block: SchemaBlock, ctx: FillContext): Record<string, Json> {
  const out: Record<string, Json> = { ...value };
  // Every attribute and block of the schema is present in a state object (null when unset).
  for (const name of Object.keys(block.attributes ?? {})) if (!(name in out)) out[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) if (!(name in out)) out[name] = nested.nesting_mode === 'single' ? null : [];
  if (!isObject(unknown)) return out;
  for (const [name, mark] of Object.entries(unknown)) {
    const attribute = block.attributes?.[name];
    const nested = block.block_types?.[name];
    if (mark === true) {
      out[name] = attribute ? placeholderOfType(attribute.type, name, ctx) : nested?.nesting_mode === 'single' ? null : [];
    } else if (attribute) {
      out[name] = fillValue(out[name], mark, attribute.type, name, ctx);
    } else if (nested) {
      const blocks = Array.isArray(out[name]) ? (out[name] as Json[]) : [];
      if (Array.isArray(mark)) {
        out[name] = blocks.map((b, i) => fillBlock(isObject(b) ? b : {}, mark[i], nested.block, ctx));
      } else if (isObject(out[name])) {
        out[name] = fillBlock(out[name] as Record<string, Json>, mark, nested.block, ctx);
      }
    }
  }
  return out;
}

/** Unknowns inside an attribute value (a list of objects, an object). */
function fillValue(value: Json | undefined, mark: Shape, type: unknown, attribute: string, ctx: FillContext): Json {
  if (mark === true) return placeholderOfType(type, attribute, ctx);
  if (!Array.isArray(type)) return value ?? null;
  const [kind, inner] = type as [string, unknown];
  if (Array.isArray(mark) && Array.isArray(value)) return value.map((v, i) => (mark[i] === undefined ? v : fillValue(v, mark[i], inner, attribute, ctx)));
  if (isObject(mark) && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark[k] === undefined ? v : fillValue(v, mark[k], kind === 'object' && isObject(inner) ? inner[k] : inner, k, ctx)]));
  }
  return value ?? null;
}

const providerKey = (plan: PlanForState, rc: PlanResourceChange) => plan.configuration?.root_module?.resources?.find((r) => r.address === rc.address.replace(/\[[^\]]*\]$/, ''))?.provider_config_key;

/**
 * The state a plan leaves behind, unknowns filled: resources to create, update, replace or keep are written with
 * their planned values; resources to destroy are left out.
 */
export function stateFromPlan(plan: PlanForState, schemas: ProviderSchemas, where: PlaceholderContext, serial = 1): StateV4 {
  const resources = new Map<string, StateV4['resources'][number]>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data' || !isObject(rc.change.after)) continue;
    const schema = schemas.provider_schemas[rc.provider_name]?.resource_schemas?.[rc.type];
    if (!schema) throw new Error(`no provider schema for ${rc.type} (${rc.provider_name})`);
    const ctx: FillContext = { ...where, address: rc.address, type: rc.type, values: rc.change.after };
    const attributes = fillBlock(rc.change.after, rc.change.after_unknown, schema.block, ctx);
    const alias = providerKey(plan, rc)?.split('.')[1];
    const key = `${rc.module_address ?? ''}|${rc.type}.${rc.name}`;
    const resource = resources.get(key) ?? {
      ...(rc.module_address ? { module: rc.module_address } : {}),
      mode: 'managed' as const,
      type: rc.type,
      name: rc.name,
      provider: `provider["${rc.provider_name}"]${alias ? `.${alias}` : ''}`,
      instances: [],
    };
    resource.instances.push({ ...(rc.index !== undefined ? { index_key: rc.index } : {}), schema_version: schema.version, attributes, sensitive_attributes: [] });
    resources.set(key, resource);
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version ?? '1.11.4',
    serial,
    // One lineage for every state built here: they are all versions of the same imagined deployment.
    lineage: placeholderUuid('lean-ops-plan-review'),
    outputs: {},
    resources: [...resources.values()],
  };
}

/** True when the plan would do nothing to managed resources (the state matches the configuration). */
export const planIsSettled = (plan: PlanForState) => (plan.resource_changes ?? []).every((rc) => rc.mode === 'data' || rc.change.actions.every((a) => a === 'no-op' || a === 'read'));
