import { RAW_COLUMNS } from '@lean-ops/contracts';
import { resolvedArgs, type AttributeTable } from './resolve-references';
import type { TerraformResource } from './terraform-json';
import type { StreamSpec } from './topology';

type Column = { name: string; type: string };

/**
 * The Glue table each stream writes must declare the columns the local Firehose writes (contracts RAW_COLUMNS, in
 * their Glue spelling), in order: a column renamed or retyped in the module would otherwise pass locally and leave
 * Firehose's records without a column to land in on AWS ("record keys must match the table's columns").
 */
export function checkGlueTables(resources: readonly TerraformResource[], table: AttributeTable, streams: readonly StreamSpec[]): void {
  const glue = resources.filter((r) => r.type === 'aws_glue_catalog_table').map((r) => ({ r, a: resolvedArgs(r, table) }));
  for (const s of streams) {
    const t = glue.find((g) => g.a.name === s.table && g.a.database_name === s.database);
    if (!t) throw new Error(`stream ${s.name} writes ${s.database}.${s.table}, which no aws_glue_catalog_table of the stack declares`);
    const sd = (Array.isArray(t.a.storage_descriptor) ? t.a.storage_descriptor[0] : t.a.storage_descriptor) as { columns?: Column[] } | undefined;
    const declared = (sd?.columns ?? []).map((c) => `${c.name} ${c.type}`);
    const written = RAW_COLUMNS.map((c) => `${c.name} ${c.glueType}`);
    if (declared.join(', ') !== written.join(', ')) {
      throw new Error(`${t.r.address}: Glue columns [${declared.join(', ')}] differ from what the local Firehose writes [${written.join(', ')}]`);
    }
  }
}
