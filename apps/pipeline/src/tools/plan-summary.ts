/** Pure reading of `terraform show -json <plan>` output and of cdktf construct paths. */
import type { ResourceChangeValues } from './plan-review-attributes';

export type ChangeKind = 'add' | 'change' | 'replace' | 'destroy';
export const CHANGE_KINDS: readonly ChangeKind[] = ['add', 'change', 'replace', 'destroy'];

export interface PlanJson {
  terraform_version?: string;
  resource_changes?: Array<{
    address: string;
    mode?: 'managed' | 'data';
    type: string;
    change: { actions: string[]; replace_paths?: unknown[][] } & ResourceChangeValues;
    action_reason?: string;
  }>;
}

export interface PlannedChange {
  address: string;
  type: string;
  kind: ChangeKind;
  /** Attributes that force a replacement (`hash_key`, `name`, ...). */
  replacePaths: string[];
  /** Before and after values, with their unknown and sensitive marks. */
  values: ResourceChangeValues & { actions: string[] };
}

export type ChangeCounts = Record<ChangeKind, number>;

function kindOf(actions: string[]): ChangeKind | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('create')) return 'add';
  if (actions.includes('update')) return 'change';
  if (actions.includes('delete')) return 'destroy';
  return undefined; // no-op, read, forget
}

/** Managed-resource changes that do something (no-ops and data-source reads are left out). */
export function plannedChanges(plan: PlanJson): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = kindOf(rc.change.actions);
    if (!kind) continue;
    out.push({
      address: rc.address,
      type: rc.type,
      kind,
      replacePaths: (rc.change.replace_paths ?? []).map((p) => p.map(String).join('.')),
      values: rc.change,
    });
  }
  return out;
}

export function countChanges(changes: PlannedChange[]): ChangeCounts {
  const counts: ChangeCounts = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}

const VERB: Record<ChangeKind, string> = { add: 'to add', change: 'to change', replace: 'to replace', destroy: 'to destroy' };

/** `plan 57 to add`, `plan 1 to change, 1 to replace`, or `plan no changes`. */
export function summaryLine(counts: ChangeCounts): string {
  const parts = CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${VERB[k]}`);
  return parts.length ? `plan ${parts.join(', ')}` : 'plan no changes';
}

type StackJson = { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> };

/**
 * Terraform address -> construct path below the stack (`messaging/orders-queue`), from the `//` metadata
 * cdktf writes on every resource in cdk.tf.json.
 */
export function constructPaths(stack: StackJson): Record<string, string> {
  const out: Record<string, string> = {};
  const collect = (blocks: StackJson['resource'], prefix: string) => {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const meta = (body as { '//'?: { metadata?: { path?: string } } })['//']?.metadata?.path;
        if (meta) out[`${prefix}${type}.${name}`] = meta.split('/').slice(1).join('/');
      }
    }
  };
  collect(stack.resource, '');
  collect(stack.data, 'data.');
  return out;
}

/** `aws_sqs_queue.q[0]` / `aws_sqs_queue.q["a"]` -> `aws_sqs_queue.q`. */
export const baseAddress = (address: string) => address.replace(/\[[^\]]*\]$/, '');
