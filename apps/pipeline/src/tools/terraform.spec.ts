import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cliConfig, findProviderMirror, findTerraform, mirrorHolds, offlineEnv, qualifySource, requiredProviders, scanForMirrors } from './terraform';

const AWS = [{ source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' }];

describe('provider requirements', () => {
  it('qualifies cdktf provider sources', () => {
    expect(qualifySource('aws')).toBe('registry.terraform.io/hashicorp/aws');
    expect(qualifySource('hashicorp/aws')).toBe('registry.terraform.io/hashicorp/aws');
    expect(qualifySource('example.com/acme/thing')).toBe('example.com/acme/thing');
  });
  it('reads exact versions from a synthesized stack and leaves constraints open', () => {
    expect(requiredProviders({ terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' }, random: { version: '~> 3.0' } } } })).toEqual([
      ...AWS,
      { source: 'registry.terraform.io/hashicorp/random', version: undefined },
    ]);
  });
});

describe('provider mirror discovery', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'lean-ops-mirror-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const unpacked = (dir: string, platform = 'linux_amd64') => {
    mkdirSync(path.join(dir, 'registry.terraform.io/hashicorp/aws/5.100.0', platform), { recursive: true });
    return dir;
  };

  it('recognises unpacked and packed layouts, for the right platform only', () => {
    expect(mirrorHolds(unpacked(path.join(root, 'a')), AWS, 'linux_amd64')).toBe(true);
    expect(mirrorHolds(path.join(root, 'a'), AWS, 'darwin_arm64')).toBe(false);
    const packed = path.join(root, 'b/registry.terraform.io/hashicorp/aws');
    mkdirSync(packed, { recursive: true });
    writeFileSync(path.join(packed, 'terraform-provider-aws_5.100.0_linux_amd64.zip'), '');
    expect(mirrorHolds(path.join(root, 'b'), AWS, 'linux_amd64')).toBe(true);
    expect(mirrorHolds(unpacked(path.join(root, 'c')).replace(/c$/, 'missing'), AWS, 'linux_amd64')).toBe(false);
  });

  it('prefers the environment variable over the standard places', () => {
    const fromEnv = unpacked(path.join(root, 'env'));
    const standard = unpacked(path.join(root, 'standard'));
    const found = findProviderMirror(AWS, 'linux_amd64', { env: { LEAN_OPS_TF_PLUGIN_MIRROR: fromEnv }, candidates: [standard], scan: () => [] });
    expect(found).toEqual({ ok: true, dir: fromEnv });
  });

  it('refuses an override that does not hold the provider, rather than silently using another mirror', () => {
    const found = findProviderMirror(AWS, 'linux_amd64', {
      env: { TF_PLUGIN_MIRROR: path.join(root, 'empty') },
      candidates: [unpacked(path.join(root, 'standard'))],
      scan: () => [],
    });
    expect(found.ok).toBe(false);
    expect(!found.ok && found.message).toContain(`TF_PLUGIN_MIRROR=${path.join(root, 'empty')} does not hold registry.terraform.io/hashicorp/aws/5.100.0 for linux_amd64`);
  });

  it('falls back to standard places, then to the scan', () => {
    const standard = unpacked(path.join(root, 'standard'));
    expect(findProviderMirror(AWS, 'linux_amd64', { env: {}, candidates: [path.join(root, 'none'), standard], scan: () => [] })).toEqual({ ok: true, dir: standard });
    const scanned = unpacked(path.join(root, 'deep/x'));
    expect(findProviderMirror(AWS, 'linux_amd64', { env: {}, candidates: [], scan: () => scanForMirrors(path.join(root, 'deep'), 4) })).toEqual({ ok: true, dir: scanned });
  });

  it('says what is missing and how to create a mirror', () => {
    const found = findProviderMirror(AWS, 'linux_amd64', { env: {}, candidates: [path.join(root, 'none')], scan: () => [] });
    expect(found.ok).toBe(false);
    const message = found.ok ? '' : found.message;
    expect(message).toContain('Terraform provider mirror not found: no directory holds registry.terraform.io/hashicorp/aws/5.100.0 for linux_amd64.');
    expect(message).toContain('terraform providers mirror -platform=linux_amd64');
    expect(message).toContain('LEAN_OPS_TF_PLUGIN_MIRROR');
  });
});

describe('terraform discovery', () => {
  it('explains how to install terraform when the binary is missing', () => {
    const found = findTerraform({ ...process.env, LEAN_OPS_TERRAFORM: '/nonexistent/terraform' });
    expect(found.ok).toBe(false);
    const message = found.ok ? '' : found.message;
    expect(message).toContain('terraform not found: `/nonexistent/terraform version` failed (ENOENT).');
    expect(message).toContain('https://releases.hashicorp.com/terraform/1.11.4/terraform_1.11.4_linux_amd64.zip');
  });
});

describe('offline configuration', () => {
  it('installs only from the mirror and never directly from a registry', () => {
    expect(cliConfig('/opt/tf-plugins', AWS)).toBe(
      [
        'provider_installation {',
        '  filesystem_mirror {',
        '    path    = "/opt/tf-plugins"',
        '    include = ["registry.terraform.io/hashicorp/aws"]',
        '  }',
        '  direct {',
        '    exclude = ["registry.terraform.io/*/*"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('replaces real AWS settings with placeholders and disables checkpoint calls', () => {
    const env = offlineEnv('/w/terraform.rc', { PATH: '/bin', AWS_PROFILE: 'prod-admin', AWS_SESSION_TOKEN: 't', TF_CLI_ARGS_plan: '-destroy', TF_LOG: 'DEBUG' });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.TF_CLI_ARGS_plan).toBeUndefined();
    expect(env).toMatchObject({
      PATH: '/bin',
      TF_LOG: 'DEBUG',
      TF_CLI_CONFIG_FILE: '/w/terraform.rc',
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_CONFIG_FILE: '/dev/null',
    });
  });
});
