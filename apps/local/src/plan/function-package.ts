import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import extract from 'extract-zip';

/**
 * Unpacks a function's deployment package (the zip the stack uploads) into `<root>/<name>/<zip sha256>/`, as Lambda
 * unpacks it into /var/task, and returns the file and export its `handler` setting names (`index.handler`).
 * The same zip is unpacked once per data dir.
 */
export async function unpackFunction(zip: string, handler: string, root: string, name: string): Promise<{ handlerFile: string; handlerExport: string }> {
  const m = /^(.+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!m) throw new Error(`function ${name}: handler ${JSON.stringify(handler)} is not <file>.<export>`);
  if (!fs.existsSync(zip)) throw new Error(`function ${name}: deployment package ${zip} is missing (synthesize the stack again)`);
  const digest = createHash('sha256').update(fs.readFileSync(zip)).digest('hex').slice(0, 16);
  const dir = path.join(root, name, digest);
  const marker = path.join(dir, '.unpacked');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    await extract(zip, { dir: path.resolve(dir) });
    fs.writeFileSync(marker, '');
  }
  // Node.js runtimes look for <file>.js, .mjs or .cjs (Lambda developer guide, "Define Lambda function handler in Node.js").
  const file = ['.js', '.mjs', '.cjs'].map((ext) => path.join(dir, `${m[1]}${ext}`)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`function ${name}: handler ${handler}: no ${m[1]}.js in its package ${zip}`);
  return { handlerFile: file, handlerExport: m[2]! };
}
