import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_CONNECTIONS, generateMessages, inject, type GeneratedMessage, type Scenario } from '@lean-ops/injector';
import { startLocalStack } from '../stack/local-stack';
import { callsPerThousand } from './targets';

export interface EndToEndFigures {
  scenario: string;
  sent: number;
  rawRows: number;
  /** RAW rows / seconds from the first send until the commit that made the last of them visible (the report's figure). */
  recordsPerSecond: number;
  /** Seconds until everything settled (retries, DLQ and archive included). */
  settleSeconds: number;
  injectorRecordsPerSecond: number;
  /** Parallel senders the injector used (`npm run inject --connections`). */
  connections: number;
  firehoseCalls: number;
  /** PutRecordBatch calls per 1,000 RAW rows. */
  firehoseCallsPer1000Records: number;
  /** The water balance held (a benchmark that loses records measures nothing). */
  balanceHolds: boolean;
  /** Seconds from startLocalStack to a ready stack: synthesis of the environment, every resource, warm functions. */
  stackStartupSeconds: number;
}

/** The scenario through a fresh in-process local stack: inject, settle, read the report. */
export async function measureEndToEnd(scenario: Scenario, opts: { envFile?: string; stackFile?: string; messages?: GeneratedMessage[] } = {}): Promise<EndToEndFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-bench-'));
  const started = performance.now();
  const stack = await startLocalStack({ dataDir, ...(opts.envFile ? { envFile: opts.envFile } : {}), ...(opts.stackFile ? { stackFile: opts.stackFile } : {}) });
  const stackStartupSeconds = Math.round((performance.now() - started) / 10) / 100;
  const client = new SQSClient({ endpoint: stack.endpoint, region: stack.region, credentials: stack.info.credentials });
  try {
    const messages =
      opts.messages ??
      generateMessages(
        scenario,
        stack.config.topics.map((t) => ({ name: t.name, expectedFields: t.expectedFields })),
      );
    const t0 = performance.now();
    const clientConfig = { region: stack.region, endpoint: stack.endpoint, credentials: stack.info.credentials };
    const injection = await inject({ scenario, queueUrls: stack.queueUrls, client, messages, connections: DEFAULT_CONNECTIONS, clientConfig });
    await stack.waitForSettled({ timeoutMs: 600_000 });
    const settleSeconds = (performance.now() - t0) / 1000;
    const report = await stack.report({ injection, messages });
    const rawRows = report.throughput.rawRows;
    return {
      scenario: scenario.name,
      sent: injection.sent,
      rawRows,
      recordsPerSecond: report.throughput.recordsPerSecond ?? 0,
      settleSeconds: Math.round(settleSeconds * 100) / 100,
      injectorRecordsPerSecond: Math.round(injection.recordsPerSecond),
      connections: DEFAULT_CONNECTIONS,
      firehoseCalls: report.firehose.calls,
      firehoseCallsPer1000Records: callsPerThousand(report.firehose.calls, rawRows),
      balanceHolds: report.balance.holds,
      stackStartupSeconds,
    };
  } finally {
    client.destroy();
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
