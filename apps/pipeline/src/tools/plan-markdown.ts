import { CHANGE_KINDS, constructPaths, countChanges, baseAddress, plannedChanges, summaryLine, type ChangeKind, type PlanJson, type PlannedChange } from './plan-summary';

/** Resources whose destruction loses data or breaks producers: a destroy or replace is called out. */
export const STATEFUL_TYPES = [
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_sqs_queue',
  'aws_glue_catalog_table',
  'aws_glue_catalog_database',
  'aws_kms_key',
] as const;

/** GitHub refuses comments over 65,536 characters; the per-resource lists are cut before that. */
export const MAX_COMMENT_CHARS = 60_000;

export const commentMarker = (environment: string) => `<!-- lean-ops-plan-review:${environment} -->`;

export interface PlanMarkdownInput {
  environment: string;
  plan: PlanJson;
  /** The synthesized cdk.tf.json, for construct paths (grouping by module). */
  stack?: Parameters<typeof constructPaths>[0];
}

interface Row extends PlannedChange {
  module: string;
  path: string;
}

const ICON: Record<ChangeKind, string> = { add: '+', change: '~', replace: '-/+', destroy: '-' };
const LABEL: Record<ChangeKind, string> = { add: 'add', change: 'change', replace: 'replace', destroy: 'destroy' };

function rows(input: PlanMarkdownInput): Row[] {
  const paths = input.stack ? constructPaths(input.stack) : {};
  return plannedChanges(input.plan).map((c) => {
    const path = paths[baseAddress(c.address)];
    // Without metadata the logical id still starts with the construct path (`messaging_orders-queue_1A2B`).
    const module = path ? path.split('/')[0] : (baseAddress(c.address).split('.').pop() ?? '').split('_')[0] || '(root)';
    return { ...c, module, path: path ?? '' };
  });
}

const isStatefulLoss = (r: Row) => (r.kind === 'destroy' || r.kind === 'replace') && (STATEFUL_TYPES as readonly string[]).includes(r.type);

/** The Markdown summary of one environment's plan, for a pull-request comment. */
export function planMarkdown(input: PlanMarkdownInput): string {
  const all = rows(input);
  const counts = countChanges(all);
  const head: string[] = [
    commentMarker(input.environment),
    `### Terraform plan: \`${input.environment}\``,
    '',
    `**${CHANGE_KINDS.map((k) => `${counts[k]} to ${LABEL[k]}`).join(' · ')}**${input.plan.terraform_version ? ` (Terraform ${input.plan.terraform_version})` : ''}`,
    '',
  ];

  const losses = all.filter(isStatefulLoss);
  if (losses.length > 0) {
    head.push('> [!WARNING]', `> **${losses.length} stateful resource${losses.length === 1 ? '' : 's'} will be destroyed or replaced; their data is lost:**`);
    for (const r of losses) {
      const forced = r.replacePaths.length ? ` (forced by \`${r.replacePaths.join('`, `')}\`)` : '';
      head.push(`> - **${r.kind}** \`${r.address}\`${r.path ? ` in \`${r.path}\`` : ''}${forced}`);
    }
    head.push('');
  }

  if (all.length === 0) return [...head, 'No changes.', ''].join('\n');

  const modules = [...new Set(all.map((r) => r.module))].sort();
  head.push('| Module | Add | Change | Replace | Destroy |', '|---|--:|--:|--:|--:|');
  for (const m of modules) {
    const c = countChanges(all.filter((r) => r.module === m));
    head.push(`| ${m} | ${c.add} | ${c.change} | ${c.replace} | ${c.destroy} |`);
  }
  head.push('');

  const details: string[] = [];
  for (const m of modules) {
    const inModule = all.filter((r) => r.module === m);
    details.push(`<details><summary><b>${m}</b>: ${summaryLine(countChanges(inModule)).replace(/^plan /, '')}</summary>`, '');
    details.push('| | Resource | Construct |', '|---|---|---|');
    for (const r of inModule) {
      details.push(`| \`${ICON[r.kind]}\` ${LABEL[r.kind]}${isStatefulLoss(r) ? ' ⚠️' : ''} | \`${r.address}\` | ${r.path ? `\`${r.path}\`` : ''} |`);
    }
    details.push('', '</details>', '');
  }

  const full = [...head, ...details].join('\n');
  if (full.length <= MAX_COMMENT_CHARS) return full;
  return [...head, `_The per-resource list is too long for a comment; run \`npm run plan:review -- --env ${input.environment}\` locally._`, ''].join('\n');
}
