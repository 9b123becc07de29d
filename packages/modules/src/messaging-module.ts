import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueueRedrivePolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import {
  DEFAULTS,
  LIMITS,
  NAME_PREFIX_PATTERN,
  SUPPORT_FUNCTION_SIZES,
  TOPIC_NAME_PATTERN,
  dlqOutlivesQueue,
  isMaxReceiveCount,
  minimumVisibilityTimeout,
  names,
  visibilityCoversFunction,
} from '@lean-ops/contracts';
import { requireIntInRange, requireProp } from './validation';

const CONSTRUCT = 'MessagingModule';

/** SQS accepts at most 10 source queue ARNs in a `byQueue` redrive-allow policy. */
export const MAX_REDRIVE_SOURCE_QUEUES = LIMITS.sqsMaxRedriveSourceQueues;

export interface MessagingModuleProps {
  namePrefix: string;
  /** One queue per topic (names match TOPIC_NAME_PATTERN, unique). */
  topics: readonly string[];
  kmsKeyArn: string;
  /** Timeout of the function consuming the topic queues; drives the default visibility timeout. */
  functionTimeoutSeconds: number;
  /** Default: visibilityTimeoutFactor (6) x functionTimeoutSeconds. An explicit value below that is refused. */
  visibilityTimeoutSeconds?: number;
  /**
   * The DLQ's own visibility timeout. Default: visibilityTimeoutFactor (6) x the DLQ processor's timeout
   * (SUPPORT_FUNCTION_SIZES); an explicit value below that is refused.
   */
  dlqVisibilityTimeoutSeconds?: number;
  /** Receives before SQS moves a message to the DLQ. Default 3. */
  maxReceiveCount?: number;
  /** Source queue retention. Default 4 days. */
  queueRetentionSeconds?: number;
  /** DLQ retention. Default 14 days (the SQS maximum); must exceed queueRetentionSeconds. */
  dlqRetentionSeconds?: number;
}

export interface TopicQueue {
  readonly topic: string;
  readonly queue: SqsQueue;
  readonly name: string;
  readonly arn: string;
  readonly url: string;
}

/**
 * One SQS queue per topic and one centralized DLQ, all encrypted with the KMS key. The redrive policy and the
 * DLQ's redrive-allow policy are their own resources so the queues and the DLQ do not fight over them.
 */
export class MessagingModule extends Construct {
  readonly topicQueues: readonly TopicQueue[];
  readonly dlq: SqsQueue;
  readonly dlqArn: string;
  readonly dlqUrl: string;
  readonly dlqName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly dlqVisibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: MessagingModuleProps) {
    super(scope, id);
    const p = resolveMessagingProps(props);
    this.visibilityTimeoutSeconds = p.visibilityTimeoutSeconds;
    this.dlqVisibilityTimeoutSeconds = p.dlqVisibilityTimeoutSeconds;
    this.maxReceiveCount = p.maxReceiveCount;

    this.dlq = new SqsQueue(this, 'dlq', {
      name: names.dlq(p.namePrefix),
      messageRetentionSeconds: p.dlqRetentionSeconds,
      // Sized for the DLQ processor, not the topic consumers: a long processor timeout must not slow DLQ retries.
      visibilityTimeoutSeconds: p.dlqVisibilityTimeoutSeconds,
      kmsMasterKeyId: p.kmsKeyArn,
      // Reusing a data key for 5 minutes keeps KMS calls (and throttling risk) low.
      kmsDataKeyReusePeriodSeconds: 300,
    });
    this.dlqArn = this.dlq.arn;
    this.dlqUrl = this.dlq.url;
    this.dlqName = this.dlq.name;

    this.topicQueues = p.topics.map((topic) => {
      const queue = new SqsQueue(this, `queue-${topic}`, {
        name: names.topicQueue(p.namePrefix, topic),
        messageRetentionSeconds: p.queueRetentionSeconds,
        visibilityTimeoutSeconds: p.visibilityTimeoutSeconds,
        kmsMasterKeyId: p.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      });
      new SqsQueueRedrivePolicy(this, `redrive-${topic}`, {
        queueUrl: queue.url,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: p.maxReceiveCount }),
      });
      return { topic, queue, name: queue.name, arn: queue.arn, url: queue.url };
    });

    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.dlq.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: this.topicQueues.map((q) => q.arn) }),
    });
  }

  get queueArns(): string[] {
    return this.topicQueues.map((q) => q.arn);
  }

  queueFor(topic: string): TopicQueue {
    const q = this.topicQueues.find((t) => t.topic === topic);
    if (!q) throw new Error(`${CONSTRUCT}: no queue for topic "${topic}" (topics: ${this.topicQueues.map((t) => t.topic).join(', ')})`);
    return q;
  }
}

type ResolvedMessagingProps = Required<MessagingModuleProps>;

function resolveMessagingProps(p: MessagingModuleProps): ResolvedMessagingProps {
  requireProp(NAME_PREFIX_PATTERN.test(p.namePrefix), CONSTRUCT, 'namePrefix', p.namePrefix, `must match ${NAME_PREFIX_PATTERN}`, 'use lower-case letters, digits and -');
  requireProp(p.topics.length > 0, CONSTRUCT, 'topics', p.topics, 'at least one topic is needed', 'add a topic');
  requireProp(
    p.topics.length <= MAX_REDRIVE_SOURCE_QUEUES,
    CONSTRUCT,
    'topics',
    p.topics.length,
    `the DLQ's redrive-allow policy accepts at most ${MAX_REDRIVE_SOURCE_QUEUES} source queues`,
    `keep at most ${MAX_REDRIVE_SOURCE_QUEUES} topics per environment`,
  );
  for (const t of p.topics) {
    requireProp(TOPIC_NAME_PATTERN.test(t), CONSTRUCT, 'topics', t, `topic names must match ${TOPIC_NAME_PATTERN}`, 'use lower-case letters, digits, _ and -');
  }
  const dupes = p.topics.filter((t, i) => p.topics.indexOf(t) !== i);
  requireProp(dupes.length === 0, CONSTRUCT, 'topics', dupes, 'topic names must be unique', 'remove the duplicate topic');
  requireProp(
    !p.topics.some((t) => names.topicQueue(p.namePrefix, t) === names.dlq(p.namePrefix)),
    CONSTRUCT,
    'topics',
    'dlq',
    'a topic named "dlq" would share its queue name with the DLQ',
    'rename the topic',
  );

  requireIntInRange(CONSTRUCT, 'functionTimeoutSeconds', p.functionTimeoutSeconds, 1, LIMITS.lambdaMaxTimeoutSeconds);
  const minimumVisibility = minimumVisibilityTimeout(p.functionTimeoutSeconds);
  const visibilityTimeoutSeconds = p.visibilityTimeoutSeconds ?? minimumVisibility;
  // AWS: a visibility timeout under 6x the function timeout lets a message reappear while it is still processed.
  requireProp(
    Number.isInteger(visibilityTimeoutSeconds) && visibilityCoversFunction(visibilityTimeoutSeconds, p.functionTimeoutSeconds),
    CONSTRUCT,
    'visibilityTimeoutSeconds',
    visibilityTimeoutSeconds,
    `must be at least ${LIMITS.visibilityTimeoutFactor} x functionTimeoutSeconds (${LIMITS.visibilityTimeoutFactor} x ${p.functionTimeoutSeconds} = ${minimumVisibility}), as AWS documents for Lambda event sources`,
    `set visibilityTimeoutSeconds to ${minimumVisibility} or more, or leave it unset`,
  );
  requireIntInRange(CONSTRUCT, 'visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, LIMITS.sqsMaxVisibilityTimeoutSeconds);

  const dlqTimeout = SUPPORT_FUNCTION_SIZES['dlq-processor'].timeoutSeconds;
  const minimumDlqVisibility = minimumVisibilityTimeout(dlqTimeout);
  const dlqVisibilityTimeoutSeconds = p.dlqVisibilityTimeoutSeconds ?? minimumDlqVisibility;
  // The same AWS rule for the DLQ, whose consumer is the DLQ processor.
  requireProp(
    Number.isInteger(dlqVisibilityTimeoutSeconds) && visibilityCoversFunction(dlqVisibilityTimeoutSeconds, dlqTimeout),
    CONSTRUCT,
    'dlqVisibilityTimeoutSeconds',
    dlqVisibilityTimeoutSeconds,
    `must be at least ${LIMITS.visibilityTimeoutFactor} x the DLQ processor timeout (${LIMITS.visibilityTimeoutFactor} x ${dlqTimeout} = ${minimumDlqVisibility}), as AWS documents for Lambda event sources`,
    `set dlqVisibilityTimeoutSeconds to ${minimumDlqVisibility} or more, or leave it unset`,
  );
  requireIntInRange(CONSTRUCT, 'dlqVisibilityTimeoutSeconds', dlqVisibilityTimeoutSeconds, 0, LIMITS.sqsMaxVisibilityTimeoutSeconds);

  const maxReceiveCount = p.maxReceiveCount ?? DEFAULTS.maxReceiveCount;
  requireProp(
    isMaxReceiveCount(maxReceiveCount),
    CONSTRUCT,
    'maxReceiveCount',
    maxReceiveCount,
    `must be an integer from 1 to ${LIMITS.sqsMaxReceiveCount}`,
    `set maxReceiveCount to a value from 1 to ${LIMITS.sqsMaxReceiveCount}`,
  );

  const queueRetentionSeconds = p.queueRetentionSeconds ?? DEFAULTS.queueRetentionSeconds;
  const dlqRetentionSeconds = p.dlqRetentionSeconds ?? DEFAULTS.dlqRetentionSeconds;
  requireIntInRange(CONSTRUCT, 'queueRetentionSeconds', queueRetentionSeconds, LIMITS.sqsMinRetentionSeconds, LIMITS.sqsMaxRetentionSeconds);
  requireIntInRange(CONSTRUCT, 'dlqRetentionSeconds', dlqRetentionSeconds, LIMITS.sqsMinRetentionSeconds, LIMITS.sqsMaxRetentionSeconds);
  // A message keeps its original enqueue time when it moves to the DLQ, so the DLQ must retain it longer.
  requireProp(
    dlqOutlivesQueue(dlqRetentionSeconds, queueRetentionSeconds),
    CONSTRUCT,
    'dlqRetentionSeconds',
    dlqRetentionSeconds,
    `the DLQ must keep messages longer than its source queues (queueRetentionSeconds = ${queueRetentionSeconds}); SQS keeps the original enqueue time on redrive`,
    `set dlqRetentionSeconds to ${LIMITS.sqsMaxRetentionSeconds} (14 days) or lower queueRetentionSeconds`,
  );
  return { ...p, visibilityTimeoutSeconds, dlqVisibilityTimeoutSeconds, maxReceiveCount, queueRetentionSeconds, dlqRetentionSeconds };
}
