import { changedAttributes, type AttributeChange } from './plan-review-attributes';
import { describeGrant, wideningOf, type Widening } from './plan-review-iam';
import { CHANGE_KINDS, constructPaths, countChanges, baseAddress, plannedChanges, summaryLine, type ChangeKind, type PlanJson, type PlannedChange } from './plan-summary';

/** Resources whose destruction loses data or breaks producers: a destroy or replace is called out. */
export const STATEFUL_TYPES = ['aws_s3_bucket', 'aws_dynamodb_table', 'aws_sqs_queue', 'aws_glue_catalog_table', 'aws_glue_catalog_database', 'aws_kms_key', 'aws_cloudwatch_log_group'] as const;

const isStatefulType = (type: string) => (STATEFUL_TYPES as readonly string[]).includes(type) || type.startsWith('aws_glue_');

/** GitHub refuses comments over 65,536 characters; the summary is cut below that, with room for the note. */
export const MAX_COMMENT_CHARS = 60_000;
/** Warnings listed per kind before "and N more". */
const MAX_WARNINGS = 40;
/** Changed attributes listed per resource before "and N more". */
const MAX_ATTRIBUTES = 25;

export const commentMarker = (environment: string) => `<!-- lean-ops-plan-review:${environment} -->`;

/** What the plan was compared with: it decides what "add" and "destroy" mean, so the Markdown says it. */
export type ReviewMode = { kind: 'real-state' } | { kind: 'base-ref'; ref: string; commit: string; baseHasEnvironment: boolean } | { kind: 'empty-state' };

export interface PlanMarkdownInput {
  environment: string;
  plan: PlanJson;
  /** The synthesized cdk.tf.json, for construct paths (grouping by module). */
  stack?: Parameters<typeof constructPaths>[0];
  /** The base's cdk.tf.json (base-ref mode): construct paths of resources the head no longer has. */
  baseStack?: Parameters<typeof constructPaths>[0];
  /** Default: an empty state. */
  mode?: ReviewMode;
}

interface Row extends PlannedChange {
  module: string;
  path: string;
  attributes: AttributeChange[];
  widening?: Widening;
}

const ICON: Record<ChangeKind, string> = { add: '+', change: '~', replace: '-/+', destroy: '-' };
const LABEL: Record<ChangeKind, string> = { add: 'add', change: 'change', replace: 'replace', destroy: 'destroy' };

export function modeLine(environment: string, mode: ReviewMode): string {
  if (mode.kind === 'real-state') {
    return `Mode: **real state**. Planned against the deployed state of \`${environment}\` (S3 backend, refreshed with read-only credentials).`;
  }
  if (mode.kind === 'base-ref') {
    const base = `Mode: **base ref**. Planned against a state built from \`${mode.ref}\` (\`${mode.commit.slice(0, 12)}\`), not refreshed: what this change does to what the base deploys. Values only AWS computes (ids, ARNs, defaults) are placeholders.`;
    return mode.baseHasEnvironment ? base : `${base} \`${environment}\` does not exist at the base: every resource is new.`;
  }
  return `Mode: **empty state**. No credentials and no base: every resource shows as added. \`--base <ref>\` shows what a change does.`;
}

function rows(input: PlanMarkdownInput, mode: ReviewMode): Row[] {
  const paths = { ...(input.baseStack ? constructPaths(input.baseStack) : {}), ...(input.stack ? constructPaths(input.stack) : {}) };
  return plannedChanges(input.plan).map((c) => {
    const path = paths[baseAddress(c.address)];
    // Without metadata the logical id still starts with the construct path (`messaging_orders-queue_1A2B`).
    const module = path ? (path.split('/')[0] ?? '') : (baseAddress(c.address).split('.').pop() ?? '').split('_')[0] || '(root)';
    const attributes = c.kind === 'change' || c.kind === 'replace' ? changedAttributes(c.values) : [];
    // Against an empty state everything is new, so a new grant says nothing about this change.
    const widening = c.kind === 'add' && mode.kind === 'empty-state' ? undefined : wideningOf(c.type, c.values);
    return { ...c, module, path: path ?? '', attributes, widening };
  });
}

const isStatefulLoss = (r: Row) => (r.kind === 'destroy' || r.kind === 'replace') && isStatefulType(r.type);
const capped = (lines: string[], more: (n: number) => string) => (lines.length > MAX_WARNINGS ? [...lines.slice(0, MAX_WARNINGS), more(lines.length - MAX_WARNINGS)] : lines);
const where = (r: Row) => (r.path ? ` in \`${r.path}\`` : '');

function warnings(all: Row[]): string[] {
  const losses = all.filter(isStatefulLoss);
  const widened = all.filter((r) => r.widening && !r.widening.unknown);
  const unknown = all.filter((r) => r.widening?.unknown);
  const out: string[] = [];
  if (losses.length > 0 || widened.length > 0) out.push('> [!WARNING]');
  if (losses.length > 0) {
    out.push(`> **${losses.length} stateful resource${losses.length === 1 ? '' : 's'} will be destroyed or replaced; their data is lost:**`);
    const lines = losses.map((r) => `> - **${r.kind}** \`${r.address}\`${where(r)}${r.replacePaths.length ? ` (forced by \`${r.replacePaths.join('`, `')}\`)` : ''}`);
    out.push(...capped(lines, (n) => `> - and ${n} more`));
  }
  if (widened.length > 0) {
    if (losses.length > 0) out.push('>');
    out.push(`> **IAM widening in ${widened.length} resource${widened.length === 1 ? '' : 's'}** (new actions, resources or principals):`);
    const lines = widened.map((r) => {
      const grants = r.widening!.grants;
      return `> - \`${r.address}\`${where(r)}: grants ${grants.slice(0, 5).map(describeGrant).join('; ')}${grants.length > 5 ? `; and ${grants.length - 5} more` : ''}`;
    });
    out.push(...capped(lines, (n) => `> - and ${n} more`));
  }
  if (out.length > 0) out.push('');
  // A policy that references a resource being created or replaced is only known after apply: say so, quietly.
  if (unknown.length > 0) {
    const names = unknown
      .slice(0, MAX_WARNINGS)
      .map((r) => `\`${r.address}\``)
      .join(', ');
    out.push(`> [!NOTE]`, `> IAM policies known only after apply, not compared: ${names}${unknown.length > MAX_WARNINGS ? ` and ${unknown.length - MAX_WARNINGS} more` : ''}.`, '');
  }
  return out;
}

/** A value in a table cell: no pipes or backticks to break the table or the code span. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");

function attributeCell(r: Row): string {
  const forces = new Set(r.replacePaths);
  const lines = r.attributes.map((a) => `\`${cell(a.path)}\`: \`${cell(a.before)}\` → \`${cell(a.after)}\`${forces.has(a.path) ? ' **forces replacement**' : ''}`);
  return (lines.length > MAX_ATTRIBUTES ? [...lines.slice(0, MAX_ATTRIBUTES), `and ${lines.length - MAX_ATTRIBUTES} more`] : lines).join('<br>');
}

const rowLine = (r: Row) =>
  `| \`${ICON[r.kind]}\` ${LABEL[r.kind]}${isStatefulLoss(r) ? ' ⚠️' : ''}${r.widening ? ' 🔓' : ''} | \`${r.address}\` | ${r.path ? `\`${r.path}\`` : ''} | ${attributeCell(r)} |`;

/** The Markdown summary of one environment's plan, for a pull-request comment. */
export function planMarkdown(input: PlanMarkdownInput): string {
  const mode = input.mode ?? { kind: 'empty-state' };
  const all = rows(input, mode);
  const counts = countChanges(all);
  const head: string[] = [commentMarker(input.environment), `### Terraform plan: \`${input.environment}\``, '', modeLine(input.environment, mode), '', ...warnings(all)];
  head.push(`**${CHANGE_KINDS.map((k) => `${counts[k]} to ${LABEL[k]}`).join(' · ')}**${input.plan.terraform_version ? ` (Terraform ${input.plan.terraform_version})` : ''}`, '');
  if (all.length === 0) return [...head, 'No changes.', ''].join('\n');

  const modules = [...new Set(all.map((r) => r.module))].sort();
  head.push('| Module | Add | Change | Replace | Destroy |', '|---|--:|--:|--:|--:|');
  for (const m of modules) {
    const c = countChanges(all.filter((r) => r.module === m));
    head.push(`| ${m} | ${c.add} | ${c.change} | ${c.replace} | ${c.destroy} |`);
  }
  head.push('', '');
  return withDetails(head.join('\n'), all, modules, input.environment);
}

/** Per-module tables, appended while they fit under the comment limit; the rest is counted in a note. */
function withDetails(head: string, all: Row[], modules: string[], environment: string): string {
  const note = (n: number) =>
    `_Cut to stay under GitHub's 65,536-character comment limit: ${n} of ${all.length} resources not listed. The per-resource list is too long for a comment; run \`npm run plan:review -- --env ${environment}\` for all of it._\n`;
  const budget = MAX_COMMENT_CHARS - note(all.length).length;
  let text = head;
  let shown = 0;
  const open = all.length <= 20 ? ' open' : '';
  for (const m of modules) {
    const inModule = all.filter((r) => r.module === m);
    const start = `<details${open}><summary><b>${m}</b>: ${summaryLine(countChanges(inModule)).replace(/^plan /, '')}</summary>\n\n| | Resource | Construct | Changed attributes |\n|---|---|---|---|\n`;
    const end = '\n</details>\n\n';
    let block = start;
    let fitted = 0;
    for (const r of inModule) {
      const line = `${rowLine(r)}\n`;
      if (text.length + block.length + line.length + end.length > budget) break;
      block += line;
      fitted++;
    }
    if (fitted > 0) text += `${block}${end}`;
    shown += fitted;
    if (fitted < inModule.length) return `${text}${note(all.length - shown)}`;
  }
  return text;
}
