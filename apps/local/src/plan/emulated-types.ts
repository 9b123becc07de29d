/**
 * Resource types the local stack creates and runs, and the ones it accepts without emulating (each with why).
 * Any other type stops startup with a message naming it, so a new kind of resource cannot pass locally unseen.
 */
export const EMULATED_TYPES = new Set([
  'aws_sqs_queue',
  'aws_sqs_queue_redrive_policy',
  'aws_sqs_queue_redrive_allow_policy',
  'aws_sqs_queue_policy',
  'aws_lambda_function',
  'aws_lambda_event_source_mapping',
  'aws_kinesis_firehose_delivery_stream',
  'aws_dynamodb_table',
  'aws_s3_bucket',
  'aws_s3_object',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_target',
  'aws_cloudwatch_metric_alarm',
  // Policies are evaluated on every call to the local endpoint (src/iam).
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_policy',
  'aws_iam_role_policy_attachment',
  'aws_sns_topic_policy',
  'aws_lambda_permission',
  'aws_s3_bucket_policy',
  // Served by the local Glue Data Catalog (src/glue); an Iceberg table gets its first metadata as Glue writes it.
  'aws_glue_catalog_database',
  'aws_glue_catalog_table',
]);

export const NOT_EMULATED: Readonly<Record<string, string>> = {
  aws_kms_key: 'data is not encrypted locally (its key policy is evaluated)',
  aws_kms_alias: 'data is not encrypted locally',
  aws_s3_bucket_versioning: 'bucket settings are not emulated',
  aws_s3_bucket_server_side_encryption_configuration: 'objects are not encrypted locally (the key policy is evaluated on reads and writes)',
  aws_s3_bucket_public_access_block: 'bucket settings are not emulated',
  aws_s3_bucket_ownership_controls: 'bucket settings are not emulated',
  aws_s3_bucket_lifecycle_configuration: 'objects do not expire locally',
  aws_cloudwatch_log_group: 'function logs go to the stack log',
  aws_cloudwatch_log_stream: 'function logs go to the stack log',
  aws_cloudwatch_dashboard: 'no console locally',
  aws_glue_catalog_table_optimizer: 'table maintenance does not run locally',
};

export class UnsupportedResourceError extends Error {
  override readonly name = 'UnsupportedResourceError';
}

/** Throws, naming every resource whose type the local stack can neither run nor knowingly skip. */
export function checkResourceTypes(addresses: ReadonlyArray<{ type: string; address: string }>): void {
  const unknown = addresses.filter((r) => !EMULATED_TYPES.has(r.type) && !(r.type in NOT_EMULATED));
  if (unknown.length === 0) return;
  throw new UnsupportedResourceError(
    `the local stack cannot run these resources of the plan: ${unknown.map((r) => r.address).join(', ')} (unsupported types: ${[...new Set(unknown.map((r) => r.type))].join(', ')})`,
  );
}
