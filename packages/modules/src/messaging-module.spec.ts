import { names } from '@lean-ops/contracts';
import { MessagingModule, type MessagingModuleProps } from './messaging-module';
import { KEY_ARN, PREFIX, all, one, synth, resources } from '../test/support';

const props: MessagingModuleProps = { namePrefix: PREFIX, topics: ['orders', 'payments'], kmsKeyArn: KEY_ARN, functionTimeoutSeconds: 30 };

const byName = (s: ReturnType<typeof synth>, name: string) => Object.entries(resources(s, 'aws_sqs_queue')).find(([, q]) => q.name === name)!;

describe('MessagingModule', () => {
  const s = synth((stack) => new MessagingModule(stack, 'messaging', props));

  it('creates one KMS-encrypted queue per topic and a DLQ that keeps messages 14 days', () => {
    const queues = all(s, 'aws_sqs_queue');
    expect(queues.map((q) => q.name).sort()).toEqual([names.dlq(PREFIX), names.topicQueue(PREFIX, 'orders'), names.topicQueue(PREFIX, 'payments')].sort());
    expect(queues.every((q) => q.kms_master_key_id === KEY_ARN)).toBe(true);
    const [, dlq] = byName(s, names.dlq(PREFIX));
    const [, orders] = byName(s, names.topicQueue(PREFIX, 'orders'));
    expect(dlq.message_retention_seconds).toBe(14 * 24 * 3600);
    expect(orders.message_retention_seconds).toBe(4 * 24 * 3600);
  });

  it('derives the visibility timeout as 6 x the function timeout', () => {
    expect(all(s, 'aws_sqs_queue').every((q) => q.visibility_timeout_seconds === 180)).toBe(true);
  });

  it('redrives each topic queue to the DLQ after 3 receives, as separate resources', () => {
    const [dlqId] = byName(s, names.dlq(PREFIX));
    const redrives = all(s, 'aws_sqs_queue_redrive_policy');
    expect(redrives).toHaveLength(2);
    for (const r of redrives) {
      expect(JSON.parse(r.redrive_policy)).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${dlqId}.arn}`, maxReceiveCount: 3 });
    }
    expect(all(s, 'aws_sqs_queue').every((q) => q.redrive_policy === undefined)).toBe(true);
  });

  it('allows redrive into the DLQ only from the topic queues', () => {
    const [dlqId] = byName(s, names.dlq(PREFIX));
    const allow = one(s, 'aws_sqs_queue_redrive_allow_policy');
    expect(allow.queue_url).toBe(`\${aws_sqs_queue.${dlqId}.url}`);
    const doc = JSON.parse(allow.redrive_allow_policy);
    expect(doc.redrivePermission).toBe('byQueue');
    expect(doc.sourceQueueArns).toEqual(['orders', 'payments'].map((t) => `\${aws_sqs_queue.${byName(s, names.topicQueue(PREFIX, t))[0]}.arn}`));
  });

  it('gives the DLQ its own visibility timeout: 6 x the DLQ processor timeout, whatever the topic consumers take', () => {
    const t = synth((stack) => new MessagingModule(stack, 'm', { ...props, functionTimeoutSeconds: 5 }));
    expect(byName(t, names.dlq(PREFIX))[1].visibility_timeout_seconds).toBe(180);
    expect(byName(t, names.topicQueue(PREFIX, 'orders'))[1].visibility_timeout_seconds).toBe(30);
    const long = synth((stack) => new MessagingModule(stack, 'm', { ...props, functionTimeoutSeconds: 120 }));
    expect(byName(long, names.dlq(PREFIX))[1].visibility_timeout_seconds).toBe(180);
    expect(byName(long, names.topicQueue(PREFIX, 'orders'))[1].visibility_timeout_seconds).toBe(720);
  });

  it('exposes both visibility timeouts and takes an explicit DLQ visibility', () => {
    let m!: MessagingModule;
    const t = synth((stack) => (m = new MessagingModule(stack, 'm', { ...props, functionTimeoutSeconds: 5, dlqVisibilityTimeoutSeconds: 600 })));
    expect([m.visibilityTimeoutSeconds, m.dlqVisibilityTimeoutSeconds]).toEqual([30, 600]);
    expect(byName(t, names.dlq(PREFIX))[1].visibility_timeout_seconds).toBe(600);
  });

  it('takes an explicit visibility timeout and maxReceiveCount', () => {
    const t = synth((stack) => new MessagingModule(stack, 'm', { ...props, visibilityTimeoutSeconds: 300, maxReceiveCount: 5 }));
    const topicQueues = all(t, 'aws_sqs_queue').filter((q) => q.name !== names.dlq(PREFIX));
    expect(topicQueues.every((q) => q.visibility_timeout_seconds === 300)).toBe(true);
    expect(JSON.parse(all(t, 'aws_sqs_queue_redrive_policy')[0]?.redrive_policy).maxReceiveCount).toBe(5);
  });

  describe('refuses', () => {
    const build = (over: Partial<MessagingModuleProps>) => () => synth((stack) => new MessagingModule(stack, 'm', { ...props, ...over }));
    it('a visibility timeout below 6 x the function timeout', () => {
      expect(build({ visibilityTimeoutSeconds: 60 })).toThrow(
        'MessagingModule: visibilityTimeoutSeconds = 60 is invalid: must be at least 6 x functionTimeoutSeconds (6 x 30 = 180), as AWS documents for Lambda event sources. Fix: set visibilityTimeoutSeconds to 180 or more, or leave it unset',
      );
    });
    it('a DLQ visibility timeout below 6 x the DLQ processor timeout', () => {
      expect(build({ dlqVisibilityTimeoutSeconds: 179 })).toThrow(
        'MessagingModule: dlqVisibilityTimeoutSeconds = 179 is invalid: must be at least 6 x the DLQ processor timeout (6 x 30 = 180), as AWS documents for Lambda event sources. Fix: set dlqVisibilityTimeoutSeconds to 180 or more, or leave it unset',
      );
      expect(build({ dlqVisibilityTimeoutSeconds: 50000 })).toThrow(/dlqVisibilityTimeoutSeconds = 50000 is invalid: must be an integer from 0 to 43200/);
    });
    it('a DLQ that does not outlive its sources', () => {
      expect(build({ queueRetentionSeconds: 1209600, dlqRetentionSeconds: 1209600 })).toThrow(
        /MessagingModule: dlqRetentionSeconds = 1209600 is invalid: the DLQ must keep messages longer than its source queues \(queueRetentionSeconds = 1209600\)/,
      );
      expect(build({ dlqRetentionSeconds: 20 * 24 * 3600 })).toThrow(/dlqRetentionSeconds = 1728000 is invalid: must be an integer from 60 to 1209600/);
    });
    it('bad, duplicate or too many topics', () => {
      expect(build({ topics: [] })).toThrow(/topics = \[\] is invalid: at least one topic is needed/);
      expect(build({ topics: ['Orders'] })).toThrow(/topics = "Orders" is invalid: topic names must match/);
      expect(build({ topics: ['a', 'a'] })).toThrow('MessagingModule: topics = ["a"] is invalid: topic names must be unique. Fix: remove the duplicate topic');
      expect(build({ topics: ['dlq'] })).toThrow(/a topic named "dlq" would share its queue name with the DLQ/);
      expect(build({ topics: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toThrow(/topics = 11 is invalid: the DLQ's redrive-allow policy accepts at most 10 source queues/);
    });
    it('a maxReceiveCount out of range', () => {
      expect(build({ maxReceiveCount: 0 })).toThrow(/maxReceiveCount = 0 is invalid: must be an integer from 1 to 1000/);
    });
    it('a function timeout outside Lambda limits and a visibility above 12 hours', () => {
      expect(build({ functionTimeoutSeconds: 901 })).toThrow(/functionTimeoutSeconds = 901 is invalid: must be an integer from 1 to 900/);
      expect(build({ functionTimeoutSeconds: 900, visibilityTimeoutSeconds: 50000 })).toThrow(/visibilityTimeoutSeconds = 50000 is invalid: must be an integer from 0 to 43200/);
    });
    it('a source retention outside SQS limits', () => {
      expect(build({ queueRetentionSeconds: 30 })).toThrow(/queueRetentionSeconds = 30 is invalid: must be an integer from 60 to 1209600/);
    });
  });
});
