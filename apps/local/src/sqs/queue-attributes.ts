import { LIMITS, DEFAULTS } from '@lean-ops/contracts';
import { SqsError } from './sqs-errors';

/** The account id the local stack uses in every ARN and queue URL. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export const queueArn = (region: string, name: string) => `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
export const queueUrl = (endpoint: string, name: string) => `${endpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT_ID}/${name}`;
export { queueNameFromUrl } from '@lean-ops/contracts';

/** Queue names: 1..80 alphanumerics, `-` and `_` (standard queues). */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** Settable attributes with their AWS defaults (strings, as the API carries them). */
export const SETTABLE_DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: String(LIMITS.sqsMaxMessageBytes),
  MessageRetentionPeriod: String(DEFAULTS.queueRetentionSeconds),
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};
const SETTABLE_OPTIONAL = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds'];
export const SETTABLE = new Set([...Object.keys(SETTABLE_DEFAULTS), ...SETTABLE_OPTIONAL, 'FifoQueue']);
export const READ_ONLY = ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp'];

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}
export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, LIMITS.sqsMaxMessageBytes],
  MessageRetentionPeriod: [LIMITS.sqsMinRetentionSeconds, LIMITS.sqsMaxRetentionSeconds],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, LIMITS.sqsMaxVisibilityTimeoutSeconds],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const badValue = (name: string, value: string, reason: string) => new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}: ${value}. Reason: ${reason}`);

/** Checks names and values of attributes given to CreateQueue / SetQueueAttributes; returns them normalized. */
export function validateAttributes(attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    if (!SETTABLE.has(name)) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const value = String(raw);
    if (name === 'FifoQueue') {
      // FIFO queues are not part of the pipeline; refuse rather than pretend to order messages.
      if (value === 'true') throw new SqsError('UnsupportedOperation', 'FIFO queues are not supported by the local stack.');
      continue;
    }
    const range = RANGES[name];
    if (range) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < range[0] || n > range[1]) throw badValue(name, value, `must be an integer between ${range[0]} and ${range[1]}.`);
    }
    if (name === 'RedrivePolicy' && value !== '') parseRedrivePolicy(value);
    if (name === 'RedriveAllowPolicy' && value !== '') parseRedriveAllowPolicy(value);
    out[name] = value;
  }
  return out;
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw badValue('RedrivePolicy', value, 'Redrive policy is not a valid JSON map.');
  }
  const count = Number(p.maxReceiveCount);
  if (typeof p.deadLetterTargetArn !== 'string' || !p.deadLetterTargetArn.startsWith('arn:aws:sqs:')) {
    throw badValue('RedrivePolicy', value, 'Invalid value for deadLetterTargetArn.');
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw badValue('RedrivePolicy', value, 'Invalid value for maxReceiveCount.');
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw badValue('RedriveAllowPolicy', value, 'Redrive allow policy is not a valid JSON map.');
  }
  const perm = p.redrivePermission;
  if (perm !== 'allowAll' && perm !== 'denyAll' && perm !== 'byQueue') throw badValue('RedriveAllowPolicy', value, 'Invalid redrivePermission.');
  const arns = p.sourceQueueArns;
  if (perm === 'byQueue') {
    // AWS: byQueue needs 1..10 source queue ARNs.
    if (!Array.isArray(arns) || arns.length < 1 || arns.length > 10 || arns.some((a) => typeof a !== 'string')) {
      throw badValue('RedriveAllowPolicy', value, 'byQueue requires 1 to 10 sourceQueueArns.');
    }
    return { redrivePermission: perm, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) throw badValue('RedriveAllowPolicy', value, 'sourceQueueArns is only allowed with byQueue.');
  return { redrivePermission: perm };
}

export function redriveAllowed(policy: RedriveAllowPolicy | undefined, sourceArn: string): boolean {
  if (!policy || policy.redrivePermission === 'allowAll') return true;
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}
