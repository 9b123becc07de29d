import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_CONNECTIONS, generateMessages, inject, type GeneratedMessage, type Scenario } from '@lean-ops/injector';
import { names } from '@lean-ops/contracts';
import type { Report } from '../report/report-types';
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
  /** Messages SQS accepted / wall seconds of the sending (sender threads loaded before the clock starts). */
  injectorRecordsPerSecond: number;
  injectorSeconds: number;
  /** The machine's 1-minute load average as the injection started: other processes share the cores. */
  loadAverage1m: number;
  /** Parallel senders the injector used (`npm run inject --connections`). */
  connections: number;
  firehoseCalls: number;
  /** PutRecordBatch calls per 1,000 RAW rows. */
  firehoseCallsPer1000Records: number;
  /**
   * Every AWS call the SQS processor's role made, per 1,000 records sent: per-batch calls only on the normal path
   * (PutRecordBatch, checkpoint updates), so a call per record would add 1,000.
   */
  processorCallsPer1000Records: number;
  /** The processor's calls by action. */
  processorCalls: Record<string, number>;
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
    const loadAverage1m = Math.round(os.loadavg()[0]! * 100) / 100;
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
      injectorSeconds: injection.seconds,
      loadAverage1m,
      connections: DEFAULT_CONNECTIONS,
      firehoseCalls: report.firehose.calls,
      firehoseCallsPer1000Records: callsPerThousand(report.firehose.calls, rawRows),
      ...processorCallFigures(report.calls, names.fn(stack.config.namePrefix, 'sqs-processor'), injection.sent),
      balanceHolds: report.balance.holds,
      stackStartupSeconds,
    };
  } finally {
    client.destroy();
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The processor's calls (its role's session is the function's name) by action, and all of them per 1,000 records. */
export function processorCallFigures(calls: Report['calls'], functionName: string, records: number): Pick<EndToEndFigures, 'processorCalls' | 'processorCallsPer1000Records'> {
  const processorCalls: Record<string, number> = {};
  for (const c of calls) if (c.principal.endsWith(`/${functionName}`)) processorCalls[c.action] = (processorCalls[c.action] ?? 0) + c.count;
  const total = Object.values(processorCalls).reduce((n, k) => n + k, 0);
  return { processorCalls, processorCallsPer1000Records: callsPerThousand(total, records) };
}
