import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { generateMessages, inject, parseScenario, type GeneratedMessage, type InjectionResult, type ScenarioInput } from '@lean-ops/injector';
import { queueNameFromUrl } from '@lean-ops/contracts';
import type { Report } from '../report/report-types';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../stack/local-stack';

/** Where a scenario's stack lives: a fresh data dir, removed afterwards. */
export async function withFreshStack<T>(opts: Omit<LocalStackOptions, 'dataDir'>, fn: (stack: LocalStack) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-chaos-'));
  const stack = await startLocalStack({ ...opts, dataDir });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function sqsClientFor(info: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }): SQSClient {
  return new SQSClient({ endpoint: info.endpoint, region: info.region, credentials: info.credentials });
}

/** A scenario file's content, validated as the injector validates files; messages generated for the stack's topics. */
export function scenarioMessages(input: ScenarioInput, topics: ReadonlyArray<{ name: string; expectedFields: string[] }>) {
  const scenario = parseScenario(input, `<chaos:${input.name}>`);
  return {
    scenario,
    messages: generateMessages(
      scenario,
      topics.map((t) => ({ name: t.name, expectedFields: t.expectedFields })),
    ),
  };
}

export interface Sent {
  injection: InjectionResult;
  messages: GeneratedMessage[];
}

/** Sends the messages to the stack's topic queues with the real SQS client. */
export async function send(stack: LocalStack, input: ScenarioInput, messages?: GeneratedMessage[]): Promise<Sent> {
  const built = scenarioMessages(input, stack.config.topics);
  const list = messages ?? built.messages;
  const client = sqsClientFor(stack.info);
  try {
    const injection = await inject({ scenario: built.scenario, queueUrls: stack.queueUrls, client, messages: list });
    return { injection, messages: list };
  } finally {
    client.destroy();
  }
}

function addCounts<K extends string>(a: Record<K, number>, b: Record<K, number>): Record<K, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b) as Array<[K, number]>) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Merges several sends into one injection result (the report takes one). */
export function mergeSends(parts: Sent[]): Sent {
  const [first, ...rest] = parts;
  if (!first) throw new Error('mergeSends: no sends to merge');
  const injection = rest.reduce<InjectionResult>(
    (acc, p) => ({
      ...acc,
      total: acc.total + p.injection.total,
      sent: acc.sent + p.injection.sent,
      failed: acc.failed + p.injection.failed,
      seconds: acc.seconds + p.injection.seconds,
      failures: [...acc.failures, ...p.injection.failures],
      sentByTopic: addCounts(acc.sentByTopic, p.injection.sentByTopic),
      sentByExpected: addCounts(acc.sentByExpected, p.injection.sentByExpected),
    }),
    first.injection,
  );
  return { injection, messages: parts.flatMap((p) => p.messages) };
}

export async function settleAndReport(stack: LocalStack, sent?: Sent, timeoutMs = 180_000): Promise<Report> {
  await stack.waitForSettled({ timeoutMs });
  return stack.report(sent ? { injection: sent.injection, messages: sent.messages } : {});
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `probe` returns a value (neither undefined nor false), or throws naming what it waited for. The one
 * poll of the chaos scenarios and the e2e specs: a boolean probe waits for `true`.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 200): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as Exclude<T, false>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Messages in a queue: visible, in flight and delayed. */
export async function queueDepth(stack: LocalStack, queueUrl: string): Promise<number> {
  const a = await stack.activity();
  const q = a.queues[queueNameFromUrl(queueUrl)];
  return q ? q.visible + q.inFlight + q.delayed : 0;
}

/** Counts per expected outcome of what was generated. */
export function expectedCounts(messages: readonly GeneratedMessage[]): Record<'raw' | 'quarantine' | 'dlq' | 'duplicate', number> {
  const out = { raw: 0, quarantine: 0, dlq: 0, duplicate: 0 };
  for (const m of messages) out[m.expected]++;
  return out;
}
