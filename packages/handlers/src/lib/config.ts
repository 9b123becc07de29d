import { ENV, TOPIC_NAME_PATTERN, queueNameFromArn, type TopicRuntimeConfig } from '@lean-ops/contracts';

type Env = Record<string, string | undefined>;

/** A missing or bad variable is a deployment error: fail loudly with its name. */
export function requireEnv(env: Env, name: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new Error(`environment variable ${name} is not set`);
  return v;
}

export function numberEnv(env: Env, name: string): number {
  const raw = requireEnv(env, name);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`environment variable ${name}=${JSON.stringify(raw)} is not a non-negative number`);
  return n;
}

export function topicsEnv(env: Env): TopicRuntimeConfig[] {
  const raw = requireEnv(env, ENV.topics);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`environment variable ${ENV.topics} is not JSON`);
  }
  if (!Array.isArray(parsed)) throw new Error(`environment variable ${ENV.topics} must be a JSON array`);
  return parsed.map((t: Partial<TopicRuntimeConfig>, i) => {
    if (typeof t?.topic !== 'string' || !TOPIC_NAME_PATTERN.test(t.topic) || typeof t.queueName !== 'string' || typeof t.queueArn !== 'string' || typeof t.queueUrl !== 'string') {
      throw new Error(`environment variable ${ENV.topics}[${i}] needs topic, queueName, queueArn and queueUrl`);
    }
    return {
      topic: t.topic,
      queueName: t.queueName,
      queueArn: t.queueArn,
      queueUrl: t.queueUrl,
      expectedFields: Array.isArray(t.expectedFields) ? t.expectedFields.map(String) : [],
      errorRateAlarm: typeof t.errorRateAlarm === 'string' ? t.errorRateAlarm : '',
      maximumConcurrency: typeof t.maximumConcurrency === 'number' ? t.maximumConcurrency : 0,
    };
  });
}

export class TopicIndex {
  private readonly byQueue = new Map<string, TopicRuntimeConfig>();
  private readonly byAlarm = new Map<string, TopicRuntimeConfig>();
  constructor(readonly topics: readonly TopicRuntimeConfig[]) {
    for (const t of topics) {
      this.byQueue.set(t.queueName, t);
      if (t.errorRateAlarm) this.byAlarm.set(t.errorRateAlarm, t);
    }
  }
  forQueueArn(arn: string): TopicRuntimeConfig | undefined {
    return this.byQueue.get(queueNameFromArn(arn));
  }
  forAlarm(alarmName: string): TopicRuntimeConfig | undefined {
    return this.byAlarm.get(alarmName);
  }
}

/** Memoizes a config reader per container (env does not change within one). */
export function once<T>(read: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= read());
}
