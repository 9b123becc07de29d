import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Report } from './report-types';

/** Writes report.json atomically (a reader never sees half a report). */
export async function writeReport(file: string, report: Report): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`);
  await fs.rename(tmp, file);
}
