import * as path from 'node:path';
import { REPO_ROOT } from '../stack/repo-root';
import { parseChaosArgs } from './chaos-args';

describe('chaos arguments', () => {
  const names = ['poison-topic', 'stack-killed'];

  it('reads --only, --size, --repeat and --json; one run by default', () => {
    expect(parseChaosArgs([], names)).toEqual({ repeat: 1, json: false, source: {} });
    expect(parseChaosArgs(['--only', 'poison-topic', '--size', '50', '--json'], names)).toEqual({ only: 'poison-topic', size: 50, repeat: 1, json: true, source: {} });
    expect(parseChaosArgs(['--repeat', '10'], names)).toEqual({ repeat: 10, json: false, source: {} });
    expect(parseChaosArgs(['--repeat', '3', '--only', 'stack-killed'], names)).toEqual({ only: 'stack-killed', repeat: 3, json: false, source: {} });
  });

  it('takes the stack as run and serve do: --env NAME, --env-file FILE, --stack FILE', () => {
    expect(parseChaosArgs(['--env', 'dev'], names).source).toEqual({ envFile: path.join(REPO_ROOT, 'environments', 'dev.tfvars') });
    expect(parseChaosArgs(['--env-file', '/tmp/x.tfvars', '--stack', '/tmp/cdk.tf.json'], names).source).toEqual({ envFile: '/tmp/x.tfvars', stackFile: '/tmp/cdk.tf.json' });
    expect(() => parseChaosArgs(['--env', 'dev', '--env-file', '/tmp/x.tfvars'], names)).toThrow('--env and --env-file name the same thing');
    expect(() => parseChaosArgs(['--env', '../etc'], names)).toThrow('--env must be an environment name');
  });

  it('refuses a repeat that is not a positive integer', () => {
    for (const bad of ['0', '-1', '1.5', 'ten', '', '1e2']) expect(() => parseChaosArgs(['--repeat', bad], names)).toThrow('--repeat must be an integer > 0');
    expect(() => parseChaosArgs(['--repeat'], names)).toThrow('--repeat needs a value');
  });

  it('refuses an unknown scenario, a bad size and unknown flags', () => {
    expect(() => parseChaosArgs(['--only', 'nope'], names)).toThrow('no scenario "nope"');
    expect(() => parseChaosArgs(['--size', '0'], names)).toThrow('--size must be an integer > 0');
    expect(() => parseChaosArgs(['--fast'], names)).toThrow('unknown argument');
    expect(() => parseChaosArgs(['--only'], names)).toThrow('--only needs a value');
  });
});
