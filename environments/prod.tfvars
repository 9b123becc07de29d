# Lean-Ops environment: prod. One file per environment; the file name is the stack name
# (`npx cdktf deploy prod`). Values only: no variables, references or blocks. Read by packages/config,
# which checks every key against one schema; omitted optional keys take the defaults noted below.
#
# region                 AWS region of every resource.
# allowed_account_ids    The provider refuses any other account; the first id also names the S3 buckets.
# name_prefix            Prefix of every resource name (lower-case, digits, '-'; 2..24 characters).
# tags                   Default tags on every resource.
# backend                S3 remote state (bucket, key, region); locking uses an S3 lock file, no DynamoDB.
# topics                 One SQS queue + Lambda event source mapping per topic:
#   name                     lower-case letters, digits, '_' and '-'
#   batch_size               1..10000; above 10 AWS requires batching_window_seconds > 0   (default 10)
#   batching_window_seconds  0..300                                                         (default 0)
#   maximum_concurrency      2..1000 concurrent processor invocations for this topic        (default 5)
#   expected_fields          payload keys the topic expects; others are recorded as schema drift
# lambda                 SQS processor: memory_mb (128..10240, default 512), timeout_seconds (1..900, default 60).
# messaging              max_receive_count (default 3) before a message moves to the DLQ;
#                        visibility_timeout_seconds (default 6 x lambda timeout; never less, AWS);
#                        queue_retention_seconds (default 4 days) < dlq_retention_seconds (default and max 14 days);
#                        retry pacing: a record that failed transiently comes back after
#                        min(retry_base_delay_seconds x 2^(receive count - 1), retry_max_delay_seconds) seconds,
#                        not after the whole visibility timeout; retry_base_delay_seconds 0..900 (default 10),
#                        retry_max_delay_seconds >= base and <= visibility timeout (default 300, capped at it).
#                        At most 10 topics: the one DLQ's redrive-allow policy names at most 10 source queues.
#                        The DLQ's own visibility timeout is 6 x its processor's fixed 30 s timeout (not a key).
# firehose               buffer_size_mb (1..128), buffer_interval_seconds (0..900), retry_duration_seconds (0..7200).
# retention              log_days (a CloudWatch Logs value), archive_transition_days < archive_expiration_days
#                        (quarantine + DLQ archive), noncurrent_version_days.
# alarms                 error_rate_percent and error_rate_min_errors (breaker trip), dlq_depth (fires at that many
#                        dead letters, default 1), dlq_max_age_seconds (< DLQ retention), water_balance_gap,
#                        alert_emails; processor_errors, processor_throttles (AWS/Lambda of the SQS processor) and
#                        firehose_throttled_records (Direct PUT throttling): per 5 minutes, default 1 each.
# table_maintenance      Glue optimizers on the RAW table: compaction, snapshot_retention and orphan_file_deletion
#                        (true/false, default true); snapshot_retention_days (default 5) with snapshots_to_retain
#                        (default 1) kept at least; orphan_file_retention_days (default 3). Defaults are Glue's.
# breaker                cooldown_seconds the breaker stays OPEN before probing HALF_OPEN (5..86400, default 300).

region              = "eu-west-1"
allowed_account_ids = ["222222222222"]
name_prefix         = "lean-ops-prod"

tags = {
  project     = "lean-ops"
  environment = "prod"
  owner       = "data-platform"
  cost-center = "data-1042"
}

backend = {
  bucket = "lean-ops-tfstate-222222222222"
  key    = "lean-ops/prod.tfstate"
  region = "eu-west-1"
}

# Larger batches with a short window: fewer, fuller Firehose calls (at most 500 records per PutRecordBatch).
topics = [
  {
    name                    = "orders"
    batch_size              = 100
    batching_window_seconds = 5
    maximum_concurrency     = 20
    expected_fields         = ["order_id", "customer_id", "amount", "currency", "status", "created_at"]
  },
  {
    name                    = "payments"
    batch_size              = 100
    batching_window_seconds = 5
    maximum_concurrency     = 10
    expected_fields         = ["payment_id", "order_id", "amount", "currency", "method", "captured_at"]
  },
  {
    name                    = "clickstream"
    batch_size              = 500
    batching_window_seconds = 5
    maximum_concurrency     = 50
    expected_fields         = ["session_id", "user_id", "page", "action", "occurred_at"]
  },
]

lambda = {
  memory_mb       = 1024
  timeout_seconds = 120
}

messaging = {
  max_receive_count        = 3
  queue_retention_seconds  = 345600  # 4 days
  dlq_retention_seconds    = 1209600 # 14 days, the SQS maximum
  # A failed record comes back after 10 s, 20 s and 40 s, then moves to the DLQ (3 receives).
  retry_base_delay_seconds = 10
  retry_max_delay_seconds  = 300
}

firehose = {
  buffer_size_mb          = 128
  buffer_interval_seconds = 300
  retry_duration_seconds  = 3600
}

retention = {
  log_days                = 90
  archive_transition_days = 90
  archive_expiration_days = 730
  noncurrent_version_days = 30
}

alarms = {
  error_rate_percent    = 50
  error_rate_min_errors = 25
  dlq_depth             = 1
  dlq_max_age_seconds   = 604800 # 7 days
  water_balance_gap     = 0
  alert_emails          = ["data-platform-oncall@example.com"]
}

breaker = {
  cooldown_seconds = 300
}
