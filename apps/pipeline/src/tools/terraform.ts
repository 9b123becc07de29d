import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Terraform version CI pins (hashicorp/setup-terraform) and the one the offline mirror was built for. */
export const TERRAFORM_VERSION = '1.11.4';

export const TERRAFORM_ENV = {
  /** Path of the terraform binary (default: `terraform` on PATH). */
  binary: 'LEAN_OPS_TERRAFORM',
  /** Provider filesystem mirror (directory holding `registry.terraform.io/...`). */
  mirror: 'LEAN_OPS_TF_PLUGIN_MIRROR',
  mirrorAlt: 'TF_PLUGIN_MIRROR',
} as const;

export interface ProviderRequirement {
  /** Fully qualified: `registry.terraform.io/hashicorp/aws`. */
  source: string;
  /** Exact version (cdktf pins one), or undefined when only a constraint is given. */
  version?: string;
}

export type Found<T> = ({ ok: true } & T) | { ok: false; message: string };

/** Locate terraform and read its version and platform (`linux_amd64`). */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): Found<{ bin: string; version: string; platform: string }> {
  const bin = env[TERRAFORM_ENV.binary] || 'terraform';
  const r = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' } });
  if (r.error || r.status !== 0) {
    return {
      ok: false,
      message: [
        `terraform not found: \`${bin} version\` failed (${r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`}).`,
        `Install Terraform ${TERRAFORM_VERSION} (https://developer.hashicorp.com/terraform/install), e.g. on Linux x86-64:`,
        `  curl -fsSLo /tmp/terraform.zip https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip`,
        `  sudo unzip -o /tmp/terraform.zip terraform -d /usr/local/bin`,
        `or point ${TERRAFORM_ENV.binary} at an installed binary.`,
      ].join('\n'),
    };
  }
  const info = JSON.parse(r.stdout) as { terraform_version: string; platform: string };
  return { ok: true, bin, version: info.terraform_version, platform: info.platform };
}

/** `aws` / `hashicorp/aws` / `registry.terraform.io/hashicorp/aws` -> the fully qualified source. */
export function qualifySource(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}

/** The providers a synthesized stack requires (`terraform.required_providers`). */
export function requiredProviders(stack: { terraform?: { required_providers?: Record<string, { source?: string; version?: string }> } }): ProviderRequirement[] {
  return Object.entries(stack.terraform?.required_providers ?? {}).map(([name, p]) => ({
    source: qualifySource(p.source ?? name),
    version: p.version && /^\d+\.\d+\.\d+$/.test(p.version.replace(/^=\s*/, '')) ? p.version.replace(/^=\s*/, '') : undefined,
  }));
}

/** Does `dir` hold every required provider for `platform`, unpacked or packed layout? */
export function mirrorHolds(dir: string, providers: ProviderRequirement[], platform: string): boolean {
  return providers.every((p) => {
    const base = path.join(dir, ...p.source.split('/'));
    if (!p.version) return fs.existsSync(base);
    const [, , type] = p.source.split('/');
    return fs.existsSync(path.join(base, p.version, platform)) || fs.existsSync(path.join(base, `terraform-provider-${type}_${p.version}_${platform}.zip`));
  });
}

export const describeProviders = (providers: ProviderRequirement[]) => providers.map((p) => (p.version ? `${p.source}/${p.version}` : p.source)).join(', ');

/** Standard places for a provider mirror, in the order they are tried. */
export function mirrorCandidates(home = os.homedir()): string[] {
  return ['/opt/tf-plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins', path.join(home, '.terraform.d/plugins'), path.join(home, '.local/share/terraform/plugins')];
}

const SCAN_SKIP = new Set(['proc', 'sys', 'dev', 'run', 'node_modules', '.git', 'tmp', 'snap']);

/**
 * Bounded scan for `<mirror>/registry.terraform.io` (like `find / -maxdepth 4 -type d -name registry.terraform.io`),
 * breadth first, skipping pseudo file systems, with a cap on directories visited.
 */
export function scanForMirrors(root = '/', maxDepth = 4, maxDirs = 20_000): string[] {
  const found: string[] = [];
  let queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < maxDirs) {
    const next: typeof queue = [];
    for (const { dir, depth } of queue) {
      if (++visited > maxDirs) break;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || SCAN_SKIP.has(e.name)) continue;
        const child = path.join(dir, e.name);
        if (e.name === 'registry.terraform.io') found.push(dir);
        else if (depth + 1 < maxDepth) next.push({ dir: child, depth: depth + 1 });
      }
    }
    queue = next;
  }
  return found;
}

export interface MirrorSearch {
  env?: NodeJS.ProcessEnv;
  candidates?: string[];
  scan?: () => string[];
}

/** Find a filesystem mirror holding the providers: env override first, then standard places, then a scan. */
export function findProviderMirror(providers: ProviderRequirement[], platform: string, search: MirrorSearch = {}): Found<{ dir: string }> {
  const env = search.env ?? process.env;
  for (const name of [TERRAFORM_ENV.mirror, TERRAFORM_ENV.mirrorAlt]) {
    const dir = env[name];
    if (!dir) continue;
    if (mirrorHolds(dir, providers, platform)) return { ok: true, dir: path.resolve(dir) };
    return { ok: false, message: `${name}=${dir} does not hold ${describeProviders(providers)} for ${platform}.\n${mirrorHowTo(providers)}` };
  }
  const candidates = search.candidates ?? mirrorCandidates();
  const hit = candidates.find((dir) => mirrorHolds(dir, providers, platform));
  if (hit) return { ok: true, dir: hit };
  const scanned = (search.scan ?? (() => scanForMirrors()))().find((dir) => mirrorHolds(dir, providers, platform));
  if (scanned) return { ok: true, dir: scanned };
  return {
    ok: false,
    message: [
      `Terraform provider mirror not found: no directory holds ${describeProviders(providers)} for ${platform}.`,
      `Looked in $${TERRAFORM_ENV.mirror}, $${TERRAFORM_ENV.mirrorAlt} (unset), ${candidates.join(', ')} and directories up to 4 levels below /.`,
      mirrorHowTo(providers),
    ].join('\n'),
  };
}

function mirrorHowTo(providers: ProviderRequirement[]): string {
  return [
    `To create a mirror (needs network access once), synthesize and run in any stack directory:`,
    `  npx cdktf synth && (cd cdktf.out/stacks/dev && terraform providers mirror -platform=linux_amd64 /opt/tf-plugins)`,
    `then export ${TERRAFORM_ENV.mirror}=/opt/tf-plugins. The mirror must hold ${describeProviders(providers)}.`,
  ].join('\n');
}

/** CLI configuration that installs providers only from the mirror: Terraform never reaches the network. */
export function cliConfig(mirrorDir: string, providers: ProviderRequirement[]): string {
  const include = providers.map((p) => JSON.stringify(p.source)).join(', ');
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${include}]`,
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/*/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Environment for offline runs: the CLI config above, no checkpoint calls, and placeholder AWS credentials
 * with shared config files hidden, so a developer's real profile can never be used by a plan.
 */
export function offlineEnv(cliConfigFile: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    // TF_LOG stays available for debugging; every other TF_/AWS_ setting could change what runs.
    if (k.startsWith('AWS_') || (k.startsWith('TF_') && !k.startsWith('TF_LOG'))) continue;
    env[k] = v;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake/secret/for/offline/plan/only/000000000',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runTerraform(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started }));
  });
}
