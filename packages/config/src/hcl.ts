import { parse } from '@cdktf/hcl2json';

export type HclResult = { ok: true; json: Record<string, unknown> } | { ok: false; problems: string[] };

/**
 * Parse tfvars-style HCL. hcl2json reports diagnostics as
 * `parse config: [<file>:<line>,<col>-<line>,<col>: <summary>; <detail> <file>:...]`; each becomes one
 * line `<file>:<line>:<col>: syntax error: <summary>; <detail>`.
 */
export async function parseHcl(displayFile: string, contents: string): Promise<HclResult> {
  try {
    return { ok: true, json: await parse(displayFile, contents) };
  } catch (e) {
    return { ok: false, problems: syntaxProblems(displayFile, e instanceof Error ? e.message : String(e)) };
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function syntaxProblems(displayFile: string, message: string): string[] {
  const body = message.replace(/^parse config: \[/, '').replace(/\]$/, '');
  const marker = new RegExp(`${escapeRe(displayFile)}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?: `, 'g');
  const starts = [...body.matchAll(marker)];
  if (starts.length === 0) return [`${displayFile}: syntax error: ${body.trim()}`];
  const lines = starts.map((m, i) => {
    const text = body.slice(m.index + m[0].length, starts[i + 1]?.index).trim();
    return `${displayFile}:${m[1]}:${m[2]}: syntax error: ${text}`;
  });
  return [...new Set(lines)];
}
