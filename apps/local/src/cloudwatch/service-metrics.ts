import type { MetricStore } from './metric-store';

export interface QueueSample {
  name: string;
  visible: number;
  oldestAgeSeconds: number;
}

export interface FunctionSample {
  name: string;
  /** Totals since start: invocations, and those that ended in an error (handler error, timeout or crash). */
  invocations: number;
  errors: number;
}

/**
 * Publishes the AWS service metrics the plan's alarms may read, as the services would: AWS/SQS
 * ApproximateNumberOfMessagesVisible and ApproximateAgeOfOldestMessage per QueueName (sampled), AWS/Lambda
 * Invocations, Errors and Throttles per FunctionName (per interval). The local runtime queues invocations beyond a
 * function's concurrency instead of refusing them, so Throttles is always 0 here.
 */
export class ServiceMetrics {
  private readonly last = new Map<string, FunctionSample>();

  constructor(
    private readonly store: MetricStore,
    private readonly source: { queues: () => QueueSample[]; functions: () => FunctionSample[] },
  ) {}

  sample(now = Date.now()): void {
    for (const q of this.source.queues()) {
      const dimensions = { QueueName: q.name };
      this.store.put({ namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimensions, value: q.visible, timestamp: now });
      this.store.put({ namespace: 'AWS/SQS', name: 'ApproximateAgeOfOldestMessage', dimensions, value: q.oldestAgeSeconds, timestamp: now });
    }
    for (const f of this.source.functions()) {
      const before = this.last.get(f.name) ?? { name: f.name, invocations: 0, errors: 0 };
      this.last.set(f.name, f);
      const dimensions = { FunctionName: f.name };
      this.store.put({ namespace: 'AWS/Lambda', name: 'Invocations', dimensions, value: f.invocations - before.invocations, timestamp: now });
      this.store.put({ namespace: 'AWS/Lambda', name: 'Errors', dimensions, value: f.errors - before.errors, timestamp: now });
      this.store.put({ namespace: 'AWS/Lambda', name: 'Throttles', dimensions, value: 0, timestamp: now });
    }
  }
}
