import * as fs from 'node:fs';
import * as path from 'node:path';

const WORKFLOW = fs.readFileSync(path.resolve(__dirname, '../../../../.github/workflows/deploy.yml'), 'utf8');
const lines = WORKFLOW.split('\n');

/** The steps of one job: the lines from `  <job>:` to the next job. */
function job(name: string): string[] {
  const start = lines.findIndex((l) => l === `  ${name}:`);
  const end = lines.findIndex((l, i) => i > start && /^ {2}[a-z][\w-]*:$/.test(l));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('.github/workflows/deploy.yml', () => {
  it('pins every third-party action by full commit SHA', () => {
    const uses = lines.filter((l) => /^\s*-?\s*uses:/.test(l)).map((l) => l.replace(/^\s*-?\s*uses:\s*/, ''));
    expect(uses.length).toBeGreaterThanOrEqual(8);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('deploys only after the tests pass', () => {
    expect(job('test').join('\n')).toContain('- run: npm test');
    expect(job('deploy')).toContain('    needs: test');
  });

  it('applies exactly the plan it made in the same job, never with --auto-approve', () => {
    expect(WORKFLOW).not.toContain('--auto-approve');
    expect(WORKFLOW).not.toContain('cdktf deploy');
    const deploy = job('deploy');
    const plan = deploy.findIndex((l) => l.includes('terraform plan -out=tfplan'));
    const apply = deploy.findIndex((l) => l.includes('terraform apply tfplan'));
    expect(plan).toBeGreaterThan(0);
    expect(apply).toBeGreaterThan(plan);
    expect(deploy.filter((l) => /run: .*terraform apply/.test(l))).toEqual(['        run: terraform apply tfplan']);
  });

  it('assumes the role by OIDC in the deploy job only', () => {
    expect(job('test').join('\n')).not.toContain('id-token');
    expect(job('deploy').join('\n')).toContain('id-token: write');
    expect(job('deploy').join('\n')).toContain('role-to-assume: ${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
  });
});
