import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { CONFIG_LIMITS } from './defaults';
import { parseHcl } from './hcl';
import { issuesToLines, problemLine, showValue } from './problems';
import { environmentFileSchema } from './schema';
import type { EnvironmentConfig } from './types';

export const ENVIRONMENT_FILE_EXTENSION = '.tfvars';

export type ParseResult = { ok: true; config: EnvironmentConfig } | { ok: false; problems: string[] };

/** Paths in messages: relative to the working directory when inside it (`environments/dev.tfvars`). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

export const environmentName = (file: string) => path.basename(file, ENVIRONMENT_FILE_EXTENSION);

/** Validate the JSON form of one environment file (pure: no I/O). */
export function parseEnvironment(file: string, hclJson: unknown): ParseResult {
  const display = displayPath(file);
  const environment = environmentName(file);
  const problems: string[] = [];
  if (!CONFIG_LIMITS.environmentNamePattern.test(environment)) {
    problems.push(problemLine(display, '(file name)', showValue(environment), `environment name must match ${CONFIG_LIMITS.environmentNamePattern} (it names the stack)`));
  }
  const result = environmentFileSchema.safeParse(hclJson);
  if (!result.success) problems.push(...issuesToLines(display, hclJson, result.error.issues, environmentFileSchema));
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, config: { environment, sourceFile: path.resolve(file), ...result.data } };
}

async function readEnvironment(file: string): Promise<ParseResult> {
  const display = displayPath(file);
  let contents: string;
  try {
    contents = await fs.readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [`${display}: cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`] };
  }
  const hcl = await parseHcl(display, contents);
  return hcl.ok ? parseEnvironment(file, hcl.json) : hcl;
}

/** Read and validate one environment file; throws ConfigError listing every problem. */
export async function loadEnvironment(file: string): Promise<EnvironmentConfig> {
  const result = await readEnvironment(file);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

/**
 * Read every `*.tfvars` in `dir` (environment = file name). Besides each file's own problems, checks
 * rules between environments: two stacks must never share a state file or, in one account, a name prefix.
 */
export async function loadEnvironments(dir: string): Promise<{ configs: EnvironmentConfig[]; problems: string[] }> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (e) {
    return { configs: [], problems: [`${displayPath(dir)}: cannot read directory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`] };
  }
  const files = entries.filter((f) => f.endsWith(ENVIRONMENT_FILE_EXTENSION)).sort();
  if (files.length === 0) return { configs: [], problems: [`${displayPath(dir)}: no *${ENVIRONMENT_FILE_EXTENSION} environment files`] };

  const results = await Promise.all(files.map((f) => readEnvironment(path.join(dir, f))));
  const configs: EnvironmentConfig[] = [];
  const problems: string[] = [];
  for (const r of results) {
    if (r.ok) configs.push(r.config);
    else problems.push(...r.problems);
  }
  problems.push(...crossEnvironmentProblems(configs));
  return { configs, problems };
}

export function crossEnvironmentProblems(configs: EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  configs.forEach((c, i) => {
    for (const other of configs.slice(0, i)) {
      const file = displayPath(c.sourceFile);
      const otherFile = displayPath(other.sourceFile);
      if (c.backend.bucket === other.backend.bucket && c.backend.key === other.backend.key) {
        problems.push(problemLine(file, 'backend.key', showValue(c.backend.key), `state file already used by ${otherFile}; each environment needs its own backend key`));
      }
      const shared = c.allowedAccountIds.filter((a) => other.allowedAccountIds.includes(a));
      if (c.namePrefix === other.namePrefix && shared.length > 0) {
        problems.push(problemLine(file, 'name_prefix', showValue(c.namePrefix), `name prefix already used by ${otherFile} in account ${shared[0]}; resource names would collide`));
      }
    }
  });
  return problems;
}
