import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Manifest } from 'cdktf';
import { ToolError } from './offline-checks';

/** Run a command, or throw a ToolError naming it with the last lines of its output. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    const out = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new ToolError(`\`${[cmd, ...args].join(' ')}\` failed in ${cwd} (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  }
  return r.stdout;
}

/** The commit a ref names, or a ToolError saying the ref is unknown (a shallow clone may lack the base). */
export function resolveCommit(repoDir: string, ref: string): string {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoDir, encoding: 'utf8' });
  if (r.status !== 0) throw new ToolError(`--base ${ref}: no such commit in ${repoDir} (fetch it first, e.g. git fetch origin ${ref.replace(/^origin\//, '')})`);
  return r.stdout.trim();
}

/**
 * Make the head's installed packages reachable from a checkout of another commit, without installing: each entry
 * of node_modules is linked, except the workspace links (relative, `../../packages/x`), which are re-created so
 * they point at the checkout's own packages. Workspace-local node_modules (a package's own zod) are linked too.
 */
export function linkNodeModules(headRoot: string, baseRoot: string): void {
  const mirror = (src: string, dst: string) => {
    fs.mkdirSync(dst, { recursive: true });
    for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
      const from = path.join(src, entry.name);
      const to = path.join(dst, entry.name);
      if (fs.existsSync(to)) continue;
      if (entry.isSymbolicLink() && !path.isAbsolute(fs.readlinkSync(from))) fs.symlinkSync(fs.readlinkSync(from), to);
      else if (entry.isDirectory() && entry.name.startsWith('@')) mirror(from, to);
      else fs.symlinkSync(from, to);
    }
  };
  mirror(path.join(headRoot, 'node_modules'), path.join(baseRoot, 'node_modules'));
  const workspaces = (JSON.parse(fs.readFileSync(path.join(headRoot, 'package.json'), 'utf8')) as { workspaces?: string[] }).workspaces ?? [];
  for (const glob of workspaces.filter((w) => w.endsWith('/*'))) {
    const parent = glob.slice(0, -2);
    if (!fs.existsSync(path.join(headRoot, parent))) continue;
    for (const name of fs.readdirSync(path.join(headRoot, parent))) {
      const own = path.join(headRoot, parent, name, 'node_modules');
      const target = path.join(baseRoot, parent, name);
      if (fs.existsSync(own) && fs.existsSync(target) && !fs.existsSync(path.join(target, 'node_modules'))) fs.symlinkSync(own, path.join(target, 'node_modules'));
    }
  }
}

/**
 * Source maps of bundles built in the checkout name the linked packages by their real place in the head's
 * node_modules; point them back at the checkout's node_modules, as an installed checkout would have them, so that
 * an unchanged handler hashes the same in base and head.
 */
export function relinkSourceMaps(dir: string, headRoot: string, baseRoot: string): void {
  if (!fs.existsSync(dir)) return;
  const headModules = path.join(fs.realpathSync(headRoot), 'node_modules');
  const baseModules = path.join(baseRoot, 'node_modules');
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.map')) continue;
    const file = path.join(entry.parentPath, entry.name);
    // A text replacement keeps the bundler's formatting byte for byte.
    const from = `"${path.relative(entry.parentPath, headModules).split(path.sep).join('/')}/`;
    const to = `"${path.relative(entry.parentPath, baseModules).split(path.sep).join('/')}/`;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split(from).join(to));
  }
}

/**
 * cdktf zips a bundle directory with each file's modification time (archiver), so a rebuilt but identical bundle
 * would hash differently and every Lambda would show as changed. Files whose bytes equal the head's take its times.
 */
export function alignUnchangedFiles(baseDir: string, headDir: string): void {
  if (!fs.existsSync(baseDir) || !fs.existsSync(headDir)) return;
  for (const entry of fs.readdirSync(baseDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const twin = path.join(headDir, path.relative(baseDir, file));
    if (!fs.existsSync(twin) || !fs.readFileSync(twin).equals(fs.readFileSync(file))) continue;
    const stat = fs.statSync(twin);
    fs.utimesSync(file, stat.atime, stat.mtime);
  }
}

/** Environment for the base's own build and synth: none of the head's path overrides leak into it. */
function baseEnv(baseRoot: string, outdir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LEAN_OPS_') && !k.startsWith('CDKTF_')) env[k] = v;
  return {
    ...env,
    PATH: `${path.join(baseRoot, 'node_modules', '.bin')}${path.delimiter}${env.PATH ?? ''}`,
    CDKTF_OUTDIR: outdir,
    CHECKPOINT_DISABLE: '1',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
  };
}

/** The command of an Nx target in a project.json of the checkout (`handlers:build`), if it has one. */
function targetCommand(projectJson: string, target: string): string | undefined {
  if (!fs.existsSync(projectJson)) return undefined;
  const project = JSON.parse(fs.readFileSync(projectJson, 'utf8')) as { targets?: Record<string, { options?: { command?: string } }> };
  return project.targets?.[target]?.options?.command;
}

export interface BaseSynth {
  commit: string;
  /** `<outdir>/stacks/<env>`, or undefined when the base has no such environment (the head adds it). */
  stackDir?: string;
}

/**
 * Synthesize an environment as a git ref defines it: a temporary `git worktree` of the ref, the head's node_modules
 * linked in, the ref's own handler bundles built (`handlers:build`), and the ref's own cdktf app (`cdktf.json`) run
 * with CDKTF_OUTDIR, as `cdktf synth` would. The worktree is removed afterwards; the stack stays in outdir.
 */
export function synthesizeRef(repoDir: string, ref: string, environment: string, outdir: string, headBundles: string): BaseSynth {
  const commit = resolveCommit(repoDir, ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-base-'));
  fs.rmSync(outdir, { recursive: true, force: true });
  run('git', ['worktree', 'add', '--detach', '--quiet', dir, commit], repoDir);
  try {
    linkNodeModules(repoDir, dir);
    const env = baseEnv(dir, outdir);
    const build = targetCommand(path.join(dir, 'packages', 'handlers', 'project.json'), 'build');
    if (build) run('sh', ['-c', build], dir, env);
    relinkSourceMaps(path.join(dir, 'packages', 'handlers', 'dist'), repoDir, dir);
    alignUnchangedFiles(path.join(dir, 'packages', 'handlers', 'dist'), headBundles);
    const app = (JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')) as { app?: string }).app;
    if (!app) throw new ToolError(`--base ${ref}: cdktf.json has no app`);
    run('sh', ['-c', app], dir, env);
    const stackDir = path.join(outdir, Manifest.stacksFolder, environment);
    return { commit, stackDir: fs.existsSync(path.join(stackDir, 'cdk.tf.json')) ? stackDir : undefined };
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: repoDir });
    fs.rmSync(dir, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: repoDir });
  }
}
