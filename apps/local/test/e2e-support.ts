import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateMessages, inject, loadScenario, type GeneratedMessage, type InjectionResult, type Scenario } from '@lean-ops/injector';
import { REPO_ROOT, ensureBundles } from '../src/cli/ensure-bundles';
import { sqsClientFor } from '../src/chaos/harness';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../src/stack/local-stack';

export const CONFIGS = path.join(REPO_ROOT, 'apps/injector/tests/configs');
export const ENV_FILE = path.join(REPO_ROOT, 'environments/local.tfvars');

/** A stack for one test file, its logs kept in memory for assertions and failure messages. */
export async function startTestStack(opts: LocalStackOptions = {}): Promise<{ stack: LocalStack; logs: string[] }> {
  ensureBundles(() => undefined);
  const logs: string[] = [];
  const stack = await startLocalStack({ envFile: ENV_FILE, ...opts, log: (l) => logs.push(l) });
  return { stack, logs };
}

export async function scenario(file: string, overrides: Partial<Scenario> = {}): Promise<Scenario> {
  return { ...(await loadScenario(path.join(CONFIGS, file))), ...overrides };
}

/** Generates the scenario's messages for the stack's topics and sends them with the real SQS client. */
export async function injectInto(stack: LocalStack, s: Scenario): Promise<{ injection: InjectionResult; messages: GeneratedMessage[] }> {
  const messages = generateMessages(
    s,
    stack.config.topics.map((t) => ({ name: t.name, expectedFields: t.expectedFields })),
  );
  const client = sqsClientFor(stack.info);
  try {
    const injection = await inject({ scenario: s, queueUrls: stack.queueUrls, client, messages });
    return { injection, messages };
  } finally {
    client.destroy();
  }
}

/** The one poll and queue depth of the e2e specs and chaos scenarios. */
export { queueDepth, waitFor } from '../src/chaos/harness';

export const removeDir = (dir: string) => fs.rm(dir, { recursive: true, force: true });
