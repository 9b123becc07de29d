/**
 * The offline copy of a synthesized stack, for `terraform init/validate/plan` without AWS:
 * the S3 backend becomes a local one, and the AWS provider skips every call it would make to check
 * credentials, the account or the region. Only the copy is changed; cdktf.out stays deployable.
 */

type Json = Record<string, unknown>;

export const OFFLINE_STATE_FILE = 'terraform.tfstate';

const SKIP_AWS_CHECKS = {
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function offlineStack(stack: Json): Json {
  const copy = structuredClone(stack);
  const terraform = isObject(copy.terraform) ? copy.terraform : {};
  copy.terraform = { ...terraform, backend: { local: { path: OFFLINE_STATE_FILE } } };

  const providers = isObject(copy.provider) ? copy.provider : {};
  const aws = providers.aws;
  if (aws !== undefined) {
    const configs = (Array.isArray(aws) ? aws : [aws]).filter(isObject);
    providers.aws = configs.map((config) => {
      // allowed_account_ids needs the real account id, which placeholder credentials cannot give.
      const { allowed_account_ids: _dropped, forbidden_account_ids: _alsoDropped, ...rest } = config;
      return { ...rest, ...SKIP_AWS_CHECKS };
    });
  }
  return copy;
}
