import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alignUnchangedFiles, linkNodeModules, relinkSourceMaps } from './plan-review-base';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-base-spec-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe('a checkout of the base with the head installed packages', () => {
  it("links third-party packages to the head's and workspace links to the checkout's own packages", () => {
    const head = path.join(tmp, 'head');
    const base = path.join(tmp, 'base');
    write(path.join(head, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
    write(path.join(head, 'node_modules', 'zod', 'index.js'), 'head zod');
    write(path.join(head, 'packages', 'contracts', 'index.js'), 'head contracts');
    write(path.join(head, 'packages', 'config', 'node_modules', 'zod', 'index.js'), 'config zod');
    fs.mkdirSync(path.join(head, 'node_modules', '@lean-ops'));
    fs.symlinkSync('../../packages/contracts', path.join(head, 'node_modules', '@lean-ops', 'contracts'));
    write(path.join(base, 'packages', 'contracts', 'index.js'), 'base contracts');
    fs.mkdirSync(path.join(base, 'packages', 'config'), { recursive: true });

    linkNodeModules(head, base);
    expect(fs.readFileSync(path.join(base, 'node_modules', 'zod', 'index.js'), 'utf8')).toBe('head zod');
    expect(fs.readFileSync(path.join(base, 'node_modules', '@lean-ops', 'contracts', 'index.js'), 'utf8')).toBe('base contracts');
    expect(fs.readFileSync(path.join(base, 'packages', 'config', 'node_modules', 'zod', 'index.js'), 'utf8')).toBe('config zod');
  });

  it("points source maps back at the checkout's node_modules, keeping the bundler's formatting", () => {
    const head = path.join(tmp, 'head');
    const base = path.join(tmp, 'base');
    const dist = path.join(base, 'packages', 'handlers', 'dist', 'h');
    fs.mkdirSync(path.join(head, 'node_modules'), { recursive: true });
    const viaHead = path.relative(dist, path.join(head, 'node_modules', 'zod', 'index.js'));
    write(path.join(dist, 'index.js.map'), `{\n  "version": 3,\n  "sources": ["${viaHead}", "../../src/h.ts"]\n}`);
    relinkSourceMaps(path.join(base, 'packages', 'handlers', 'dist'), head, base);
    expect(fs.readFileSync(path.join(dist, 'index.js.map'), 'utf8')).toBe(`{\n  "version": 3,\n  "sources": ["../../../../node_modules/zod/index.js", "../../src/h.ts"]\n}`);
  });

  it("gives unchanged bundle files the head's modification time (the zip records it), and only those", () => {
    write(path.join(tmp, 'head', 'h', 'index.js'), 'same');
    write(path.join(tmp, 'head', 'h', 'other.js'), 'head');
    write(path.join(tmp, 'base', 'h', 'index.js'), 'same');
    write(path.join(tmp, 'base', 'h', 'other.js'), 'base');
    const then = new Date('2026-01-02T03:04:05Z');
    fs.utimesSync(path.join(tmp, 'head', 'h', 'index.js'), then, then);
    fs.utimesSync(path.join(tmp, 'head', 'h', 'other.js'), then, then);
    alignUnchangedFiles(path.join(tmp, 'base'), path.join(tmp, 'head'));
    expect(fs.statSync(path.join(tmp, 'base', 'h', 'index.js')).mtime).toEqual(then);
    expect(fs.statSync(path.join(tmp, 'base', 'h', 'other.js')).mtime).not.toEqual(then);
  });
});
