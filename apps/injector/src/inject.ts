import type { SQSClient } from '@aws-sdk/client-sqs';
import { emptyOutcomeCounts, type ExpectedOutcome } from './expected-outcome';
import { generateMessages, type GeneratedMessage, type TopicInfo } from './generate-messages';
import { planBatches, SQS_BATCH_LIMITS } from './plan-batches';
import type { Scenario } from './scenario-schema';
import { startConnections, type LaneClientConfig } from './parallel-send';
import { sendBatches, type SendSettings } from './send-batches';
import { sqsTransport, type SqsTransport } from './sqs-transport';

export interface InjectOptions {
  scenario: Scenario;
  /** Queue URL per topic of the scenario. */
  queueUrls: Record<string, string>;
  client: SQSClient;
  /** Messages finished (sent, or failed for good) so far, of the total. */
  onProgress?: (sent: number, total: number) => void;
  /** The messages to send; default: generateMessages(scenario, topics). */
  messages?: GeneratedMessage[];
  /** Expected fields per topic, used when `messages` is not given (default: generic fields). */
  topics?: TopicInfo[];
  /** Retry tuning (attempts, backoff) and test hooks (sleep, clock). */
  retry?: Pick<SendSettings, 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'sleep' | 'random' | 'now'>;
  /** Replaces the SQS client's calls (tests). */
  transport?: SqsTransport;
  /**
   * With `clientConfig`: `connections` parallel senders (default 1), each a thread with its own keep-alive
   * connections, sending over the SQS JSON protocol directly (sqs-json-transport.ts). Without it: every call
   * through `client` on this thread.
   */
  connections?: number;
  clientConfig?: LaneClientConfig;
}

export interface InjectionFailure {
  index: number;
  topic: string;
  messageId?: string;
  expected: ExpectedOutcome;
  code: string;
  message: string;
  /** Not retried: SQS said the request was wrong, or the error was not transient. */
  permanent: boolean;
  attempts: number;
}

export interface InjectionResult {
  scenario: string;
  total: number;
  sent: number;
  failed: number;
  sentByTopic: Record<string, number>;
  sentByExpected: Record<ExpectedOutcome, number>;
  failures: InjectionFailure[];
  calls: { sendMessageBatch: number; sendMessage: number };
  /** Entries sent again after a transient failure. */
  retries: number;
  seconds: number;
  recordsPerSecond: number;
}

/** Sends a scenario's messages to the topic queues (any SQS endpoint) and sums up what was sent. */
export async function inject(opts: InjectOptions): Promise<InjectionResult> {
  const { scenario } = opts;
  const messages = opts.messages ?? generateMessages(scenario, opts.topics ?? Object.keys(scenario.topics).map((name) => ({ name, expectedFields: [] })));
  const missing = [...new Set(messages.map((m) => m.topic))].filter((t) => !opts.queueUrls[t]);
  if (missing.length) throw new Error(`no queue URL for topic(s): ${missing.join(', ')}`);

  // Below 10 records/s a full batch would be a burst; smaller batches keep the rate even.
  const maxEntries = scenario.rate === 'unlimited' ? SQS_BATCH_LIMITS.maxEntries : Math.max(1, Math.min(SQS_BATCH_LIMITS.maxEntries, Math.floor(scenario.rate)));
  const batches = planBatches(messages, { ...SQS_BATCH_LIMITS, maxEntries });

  const bodies = messages.map((m) => m.body);
  const settings = { concurrency: scenario.concurrency, rate: scenario.rate, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) };
  const parallel = opts.clientConfig && !opts.transport;
  // Sender threads load before the clock starts, as this thread's client does before inject() is called.
  const senders = parallel ? await startConnections(batches, bodies, opts.queueUrls, opts.clientConfig!, { ...settings, ...retryLimits(opts.retry) }, opts.connections ?? 1) : undefined;
  const started = performance.now();
  const report = senders ? await senders.send() : await sendBatches(batches, bodies, opts.queueUrls, opts.transport ?? sqsTransport(opts.client), { ...settings, ...opts.retry });
  const seconds = (performance.now() - started) / 1000;

  const sentByTopic: Record<string, number> = Object.fromEntries(Object.keys(scenario.topics).map((t) => [t, 0]));
  const sentByExpected = emptyOutcomeCounts();
  let sent = 0;
  messages.forEach((m, i) => {
    if (!report.sent[i]) return;
    sent++;
    sentByTopic[m.topic] = (sentByTopic[m.topic] ?? 0) + 1;
    sentByExpected[m.expected]++;
  });
  const failures: InjectionFailure[] = report.failures.map((f) => {
    const m = messages[f.index];
    if (!m) throw new RangeError(`a failure was reported for message ${f.index}, which is not in the scenario`);
    return { index: f.index, topic: m.topic, ...(m.messageId ? { messageId: m.messageId } : {}), expected: m.expected, code: f.code, message: f.message, permanent: f.permanent, attempts: f.attempts };
  });
  return {
    scenario: scenario.name,
    total: messages.length,
    sent,
    failed: messages.length - sent,
    sentByTopic,
    sentByExpected,
    failures,
    calls: report.calls,
    retries: report.retries,
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSecond: seconds > 0 ? Math.round(sent / seconds) : sent,
  };
}

/** The retry settings that can cross into a sender thread (numbers only; test hooks stay on this thread). */
function retryLimits(retry: InjectOptions['retry']): Pick<SendSettings, 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs'> {
  const out: Pick<SendSettings, 'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs'> = {};
  if (retry?.maxAttempts !== undefined) out.maxAttempts = retry.maxAttempts;
  if (retry?.backoffBaseMs !== undefined) out.backoffBaseMs = retry.backoffBaseMs;
  if (retry?.backoffCapMs !== undefined) out.backoffCapMs = retry.backoffCapMs;
  return out;
}
