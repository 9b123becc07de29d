import { RAW_COLUMNS } from '@lean-ops/contracts';
import type { GlueTableSpec } from './build-glue-catalog';
import type { StreamSpec } from './topology';

/**
 * The Glue table each stream writes must declare the columns the local Firehose writes (contracts RAW_COLUMNS, in
 * their Glue spelling), in order: a column renamed or retyped in the module would otherwise pass locally and leave
 * Firehose's records without a column to land in on AWS ("record keys must match the table's columns").
 */
export function checkGlueTables(tables: readonly GlueTableSpec[], streams: readonly StreamSpec[]): void {
  for (const s of streams) {
    const t = tables.find((g) => g.name === s.table && g.database === s.database);
    if (!t) throw new Error(`stream ${s.name} writes ${s.database}.${s.table}, which no aws_glue_catalog_table of the stack declares`);
    const declared = t.columns.map((c) => `${c.name} ${c.type}`);
    const written = RAW_COLUMNS.map((c) => `${c.name} ${c.glueType}`);
    if (declared.join(', ') !== written.join(', ')) {
      throw new Error(`${t.address}: Glue columns [${declared.join(', ')}] differ from what the local Firehose writes [${written.join(', ')}]`);
    }
  }
}
