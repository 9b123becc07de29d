import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadEnvironment, type EnvironmentConfig } from '@lean-ops/config';
import { partitionOf } from '@lean-ops/modules';
import { bucketArn } from './bootstrap-plan';
import { runSteps } from './bootstrap-run';
import { stateBucketSteps } from './bootstrap-steps';
import { exitOnError } from './cli-errors';
import { ToolError } from './offline-checks';
import { pipelinePaths } from './paths';

const USAGE = [
  'usage: npm run bootstrap -- --env <env> [--dry-run] [--endpoint URL]',
  "  Creates the environment's Terraform state bucket (backend.bucket in environments/<env>.tfvars): versioned,",
  '  SSE-KMS encrypted, public access blocked, TLS-only bucket policy, noncurrent versions expiring. Idempotent.',
  '  --dry-run   read only: print what would change',
  '  --endpoint  an S3-compatible endpoint instead of AWS (no account check; unsupported calls are reported)',
].join('\n');

async function callerAccount(region: string): Promise<string> {
  const sts = new STSClient({ region });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } finally {
    sts.destroy();
  }
}

function s3Client(config: EnvironmentConfig, endpoint: string | undefined): S3Client {
  if (!endpoint) return new S3Client({ region: config.backend.region });
  // Local S3-compatible servers: path-style (the endpoint is an IP) and checksums only where an operation requires one.
  return new S3Client({ region: config.backend.region, endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string' }, 'dry-run': { type: 'boolean' }, endpoint: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.env) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = await loadEnvironment(path.join(pipelinePaths().environmentsDir, `${values.env}.tfvars`));
  const { bucket, region } = config.backend;
  const dryRun = values['dry-run'] === true;
  console.log(`${dryRun ? 'dry run: ' : ''}state bucket ${bucket} (${region}) for ${values.env}${values.endpoint ? ` at ${values.endpoint}` : ''}`);

  let owner: string | undefined;
  if (values.endpoint) console.log('account check skipped: custom endpoint');
  else {
    // Like the provider's allowed_account_ids: never create the state bucket in another account.
    const account = await callerAccount(region);
    if (!config.allowedAccountIds.includes(account)) {
      throw new ToolError(`these credentials are for account ${account}; environments/${values.env}.tfvars allows only ${config.allowedAccountIds.join(', ')}`);
    }
    console.log(`account ${account}: allowed`);
    owner = account;
  }

  const s3 = s3Client(config, values.endpoint);
  try {
    const steps = stateBucketSteps(s3, { name: bucket, region, arn: bucketArn(bucket, partitionOf(region)), owner });
    const results = await runSteps(steps, { dryRun, customEndpoint: !!values.endpoint, log: (l) => console.log(l) });
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    const unsupported = count('not supported by the endpoint');
    console.log(
      `${bucket}: ${count('done')} changed, ${count('already done')} already done${dryRun ? `, ${count('would do')} would change` : ''}` +
        (unsupported > 0 ? `, ${unsupported} not supported by ${values.endpoint}` : ''),
    );
    if (!dryRun && unsupported === 0) console.log(`next: npx cdktf deploy ${values.env}`);
  } finally {
    s3.destroy();
  }
}

main().catch(exitOnError);
