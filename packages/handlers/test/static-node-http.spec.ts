import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { staticNodeHttp } from '../scripts/static-node-http';

const bundle = (entry: string, contents: string) =>
  build({
    stdin: { contents, resolveDir: entry, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
    plugins: [staticNodeHttp],
  });

describe('staticNodeHttp (bundle build)', () => {
  it("takes node:http by require in the SDK's HTTP handler, so no ES module facade is built", async () => {
    const out = await bundle(path.resolve(__dirname, '..'), "export { NodeHttpHandler } from '@smithy/node-http-handler';");
    const text = out.outputFiles[0]!.text;
    expect(text).toContain('require("node:http")');
    expect(text).not.toContain('import("node:http")');
  });

  it('fails the build when the SDK no longer holds the import it replaces', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-node-http-'));
    const file = path.join(dir, 'node_modules/@smithy/node-http-handler/dist-es/node-http-handler.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'export const x = 1;\n');
    try {
      await expect(bundle(dir, `export { x } from ${JSON.stringify(file)};`)).rejects.toThrow(/no longer holds await import\("node:http"\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
