import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '@lean-ops/config';
import { ScenarioError, generateMessages, inject, loadScenario, type Scenario } from '@lean-ops/injector';
import { breakerSummary, deniedSummary, ledgerTable, throughputLine, verificationTable } from '../report/format-report';
import type { Report } from '../report/report-types';
import { writeReport } from '../report/write-report';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { createProgressBar, type ProgressStream } from './progress-bar';
import { DEFAULT_ENV_FILE } from '../stack/repo-root';
import { REPO_ROOT, ensureBundles } from './ensure-bundles';

export const DEFAULT_SCENARIO = path.join(REPO_ROOT, 'apps/injector/tests/configs/thundering_herd.json');
const PROGRESS_POLL_MS = 250;

export interface RunIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** `run`: stack up, inject, settle, verify, report. */
export async function runCommand(cmd: { config?: string; dataDir?: string; report?: string; envFile?: string; stackFile?: string }, io: RunIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let scenario: Scenario;
  try {
    scenario = await loadScenario(cmd.config ?? DEFAULT_SCENARIO);
  } catch (err) {
    if (err instanceof ScenarioError) {
      say(err.message);
      return EXIT.usage;
    }
    throw err;
  }
  ensureBundles(say);
  const dataDir = path.resolve(cmd.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'local-stack.log');
  const logs = fs.createWriteStream(logFile, { flags: 'a' });
  const wallStart = Date.now();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ envFile: cmd.envFile ?? DEFAULT_ENV_FILE, stackFile: cmd.stackFile, dataDir, log: (line) => logs.write(`${line}\n`) });
  } catch (err) {
    logs.end();
    if (err instanceof ConfigError) {
      say(err.message);
      return EXIT.usage;
    }
    throw err;
  }
  const onSignal = () => {
    say('\ninterrupted: stopping the local stack');
    void stack.stop().finally(() => process.exit(EXIT.interrupted));
  };
  process.once('SIGINT', onSignal);
  try {
    say(`local stack at ${stack.endpoint}, data dir ${dataDir} (logs: ${logFile})`);
    return await injectAndVerify(stack, scenario, { io, say, reportFile: path.resolve(cmd.report ?? 'report.json'), wallStart, dataDir });
  } finally {
    process.removeListener('SIGINT', onSignal);
    await stack.stop();
    await new Promise((r) => logs.end(r));
  }
}

/** Sends the scenario with a progress bar, waits until the stack settles, writes the report and prints the tables. */
async function injectAndVerify(stack: LocalStack, scenario: Scenario, o: { io: RunIo; say: (line: string) => void; reportFile: string; wallStart: number; dataDir: string }): Promise<number> {
  const unknown = Object.keys(scenario.topics).filter((t) => !stack.queueUrls[t]);
  if (unknown.length) {
    o.say(`scenario ${scenario.name} names topic(s) ${unknown.join(', ')} that ${stack.config.sourceFile} does not define`);
    return EXIT.usage;
  }
  const messages = generateMessages(
    scenario,
    stack.config.topics.map((t) => ({ name: t.name, expectedFields: t.expectedFields })),
  );
  o.say(`injecting ${scenario.name}: ${messages.length.toLocaleString('en-US')} records over ${Object.keys(scenario.topics).join(', ')}`);
  const bar = createProgressBar(o.io.stderr, messages.length);
  const poll = setInterval(
    () =>
      void stack.progress().then(
        (p) => bar.update(p),
        () => undefined,
      ),
    PROGRESS_POLL_MS,
  );
  const client = new SQSClient({ region: stack.region, endpoint: stack.endpoint, credentials: stack.info.credentials });
  let injection;
  // A data dir reused from earlier runs keeps their objects: the verification judges this run's messages.
  const since = Date.now();
  try {
    injection = await inject({ scenario, queueUrls: stack.queueUrls, client, messages });
  } finally {
    clearInterval(poll);
    client.destroy();
  }
  await stack.waitForSettled({ onProgress: (p) => bar.update(p) });
  bar.finish();

  const report = await stack.report({ injection, messages, since });
  await writeReport(o.reportFile, report);
  printResult(o.io, report, { scenario: scenario.name, reportFile: o.reportFile, wallSeconds: ((Date.now() - o.wallStart) / 1000).toFixed(1), dataDir: o.dataDir });
  if (injection.failed > 0)
    o.say(
      `${injection.failed} messages could not be sent: ${injection.failures
        .slice(0, 3)
        .map((f) => `${f.code} ${f.message}`)
        .join('; ')}`,
    );
  return report.ok && injection.failed === 0 ? EXIT.ok : EXIT.failed;
}

/** The verification table, the water balance, breaker and IAM summaries, throughput and the verdict. */
function printResult(io: RunIo, report: Report, o: { scenario: string; reportFile: string; wallSeconds: string; dataDir: string }): void {
  io.stdout.write(
    [
      '',
      `Verification (${o.scenario})`,
      verificationTable(report),
      '',
      'Water balance',
      ledgerTable(report),
      '',
      breakerSummary(report),
      deniedSummary(report),
      throughputLine(report),
      `Report: ${o.reportFile}  (wall time ${o.wallSeconds} s, data dir ${o.dataDir})`,
      report.ok ? 'RESULT: pass (lost = 0, balance holds, every row passes)' : 'RESULT: FAIL',
      '',
    ].join('\n'),
  );
}
