/**
 * ARNs that AWS offers no resource (and so no attribute) for: the account root principal, the Glue
 * catalog, and condition keys on log groups that must be allowed before the log groups exist.
 */

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function accountRootArn(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:root`;
}

export function glueCatalogArn(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:glue:${region}:${accountId}:catalog`;
}

export function logGroupArnPattern(region: string, accountId: string, logGroupName: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

/** Every object under a key prefix of a bucket. */
export function objectArns(bucketArn: string, prefix = ''): string {
  return `${bucketArn}/${prefix}*`;
}
