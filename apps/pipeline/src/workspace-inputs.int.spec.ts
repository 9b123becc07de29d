import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT as ROOT } from './tools/paths';

/** The projects `nx affected` picks for a change to these files (the real nx, reading nx.json and project.json). */
function affectedBy(files: string[]): string[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  return (JSON.parse(out.slice(out.indexOf('['))) as string[]).sort();
}

describe('nx inputs follow what the specs read', () => {
  it('an environment file edit affects every project whose tests or stacks read environment files, and no other', () => {
    const affected = affectedBy(['environments/dev.tfvars']);
    expect(affected).toEqual(expect.arrayContaining(['pipeline', 'local']));
    expect(affected).toEqual(['config', 'injector', 'local', 'pipeline']);
  });

  it('cdktf.json is an input of the stacks', () => {
    expect(affectedBy(['cdktf.json'])).toContain('pipeline');
  });
});
