import { offlineStack } from './offline-stack';

const synthesized = () => ({
  '//': { metadata: { stackName: 'dev' } },
  terraform: {
    required_providers: { aws: { source: 'aws', version: '5.100.0' } },
    backend: { s3: { bucket: 'lean-ops-tfstate-111111111111', key: 'lean-ops/dev.tfstate', region: 'eu-west-1', use_lockfile: true } },
  },
  provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'], default_tags: [{ tags: { project: 'lean-ops' } }] }] },
  resource: { aws_sqs_queue: { q: { name: 'lean-ops-dev-orders' } } },
});

describe('offlineStack', () => {
  it('swaps the S3 backend for a local one and keeps the provider requirements', () => {
    const out = offlineStack(synthesized()) as any;
    expect(out.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    expect(out.terraform.required_providers).toEqual({ aws: { source: 'aws', version: '5.100.0' } });
  });

  it('drops allowed_account_ids and skips every AWS call the provider makes at configure time', () => {
    const out = offlineStack(synthesized()) as any;
    expect(out.provider.aws).toEqual([
      {
        region: 'eu-west-1',
        default_tags: [{ tags: { project: 'lean-ops' } }],
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    ]);
  });

  it('leaves resources and the input untouched', () => {
    const input = synthesized();
    const out = offlineStack(input) as any;
    expect(out.resource).toEqual(input.resource);
    expect(input.terraform.backend).toHaveProperty('s3');
    expect(input.provider.aws[0]).toHaveProperty('allowed_account_ids');
  });
});
