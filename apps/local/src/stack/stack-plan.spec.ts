import * as path from 'node:path';
import { ENV, LIMITS, SUPPORT_FUNCTION_SIZES, handlerEnv, type TopicRuntimeConfig } from '@lean-ops/contracts';
import { loadEnvironment, type EnvironmentConfig } from '@lean-ops/config';
import { handlerEnvValues, mappingUuid, stackPlan } from './stack-plan';

const ENV_FILE = path.resolve(__dirname, '../../../../environments/local.tfvars');

describe('stackPlan (the local environment)', () => {
  let config: EnvironmentConfig;
  beforeAll(async () => {
    config = await loadEnvironment(ENV_FILE);
  });

  it('gives the topic queues the config visibility, retention and a redrive to the DLQ after maxReceiveCount', () => {
    const plan = stackPlan(config);
    expect(plan.topicQueues.map((q) => q.topic)).toEqual(config.topics.map((t) => t.name));
    for (const q of plan.topicQueues) {
      expect(q.name).toBe(`${config.namePrefix}-${q.topic}`);
      expect(Number(q.attributes.VisibilityTimeout)).toBe(config.messaging.visibilityTimeoutSeconds);
      expect(Number(q.attributes.VisibilityTimeout)).toBeGreaterThanOrEqual(LIMITS.visibilityTimeoutFactor * config.lambda.timeoutSeconds);
      expect(Number(q.attributes.MessageRetentionPeriod)).toBe(config.messaging.queueRetentionSeconds);
      expect(JSON.parse(q.attributes.RedrivePolicy)).toEqual({
        deadLetterTargetArn: `arn:aws:sqs:${config.region}:000000000000:${config.namePrefix}-dlq`,
        maxReceiveCount: config.messaging.maxReceiveCount,
      });
    }
  });

  it('sizes the DLQ for its own consumer and keeps its messages longer than the sources', () => {
    const plan = stackPlan(config);
    expect(Number(plan.dlq.attributes.VisibilityTimeout)).toBe(LIMITS.visibilityTimeoutFactor * SUPPORT_FUNCTION_SIZES['dlq-processor'].timeoutSeconds);
    expect(Number(plan.dlq.attributes.MessageRetentionPeriod)).toBeGreaterThan(Number(plan.topicQueues[0].attributes.MessageRetentionPeriod));
  });

  it('maps each topic queue to the processor with its ESM settings, and the DLQ to the DLQ processor', () => {
    const plan = stackPlan(config);
    const processor = plan.functions['sqs-processor'].name;
    for (const t of config.topics) {
      expect(plan.mappings.find((m) => m.topic === t.name)).toEqual({
        uuid: mappingUuid(processor, `${config.namePrefix}-${t.name}`),
        topic: t.name,
        functionName: processor,
        queueName: `${config.namePrefix}-${t.name}`,
        batchSize: t.batchSize,
        maximumBatchingWindowInSeconds: t.batchingWindowSeconds,
        maximumConcurrency: t.maximumConcurrency,
      });
    }
    const dlq = plan.mappings.find((m) => m.queueName === plan.dlq.name)!;
    expect(dlq).toMatchObject({ functionName: plan.functions['dlq-processor'].name, batchSize: LIMITS.sqsMaxReceiveMessages, maximumConcurrency: LIMITS.esmMinMaximumConcurrency });
    expect(new Set(plan.mappings.map((m) => m.uuid)).size).toBe(plan.mappings.length);
    // the processor has an environment for every mapping's concurrency
    expect(plan.functions['sqs-processor'].concurrency).toBe(config.topics.reduce((n, t) => n + t.maximumConcurrency, 0));
    expect(plan.functions['sqs-processor'].size).toEqual(config.lambda);
  });

  it('names the buckets with the first allowed account and sends Firehose errors to the archive bucket', () => {
    const plan = stackPlan(config);
    expect(plan.buckets.archive).toBe(`${config.namePrefix}-archive-${config.allowedAccountIds[0]}`);
    expect(plan.stream.errorOutputBucket).toBe(plan.buckets.archive);
    expect(plan.stream.table).toBe('raw_events');
  });

  it('builds the handler environments ComputeModule would, pointed at the local endpoint', () => {
    const plan = stackPlan(config);
    const v = handlerEnvValues(config, plan, 'http://127.0.0.1:4566', 'arn:aws:sns:us-east-1:000000000000:alerts');
    const env = handlerEnv('sqs-processor', v);
    const topics = JSON.parse(env[ENV.topics]) as TopicRuntimeConfig[];
    expect(topics.map((t) => t.queueUrl)).toEqual(config.topics.map((t) => `http://127.0.0.1:4566/000000000000/${config.namePrefix}-${t.name}`));
    expect(topics[0].errorRateAlarm).toBe(plan.errorRateAlarms[topics[0].topic]);
    expect(env[ENV.retryBaseDelaySeconds]).toBe(String(config.messaging.retryBaseDelaySeconds));
    expect(env[ENV.retryMaxDelaySeconds]).toBe(String(config.messaging.retryMaxDelaySeconds));
    expect(handlerEnv('circuit-breaker', v)[ENV.breakerCooldownSeconds]).toBe(String(config.breaker.cooldownSeconds));
    expect(handlerEnv('water-balance', v)[ENV.dlqUrl]).toBe(`http://127.0.0.1:4566/000000000000/${config.namePrefix}-dlq`);
  });
});
