import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { generateMessages, inject, parseScenario, type ScenarioInput } from '@lean-ops/injector';
import { loadEnvironment } from '@lean-ops/config';
import { QueueStore, queueNameFromUrl } from '../../sqs';
import type { ServeInfo } from '../../stack/local-stack';
import type { ChaosScenario } from '../chaos-types';
import { sleep, sqsClientFor, waitFor } from '../harness';
import { drain, exited, startServe, type ServeProcess } from '../serve-process';
import { REPO_ROOT } from '../../stack/repo-root';

const TOPICS = { orders: 1, payments: 1, clickstream: 1 };

async function sendTo(serve: ServeProcess, input: ScenarioInput, topics: Array<{ name: string; expectedFields: string[] }>) {
  const scenario = parseScenario(input, `<chaos:${input.name}>`);
  const client = sqsClientFor(serve.info);
  try {
    // Few retries: once the stack is killed, the rest of this send fails fast instead of backing off for minutes.
    return await inject({ scenario, queueUrls: serve.info.queues, client, messages: generateMessages(scenario, topics), retry: { maxAttempts: 2, backoffBaseMs: 10, backoffCapMs: 50 } });
  } finally {
    client.destroy();
  }
}

async function queued(serve: ServeProcess): Promise<number> {
  const client = sqsClientFor(serve.info);
  try {
    let n = 0;
    for (const url of Object.values(serve.info.queues)) {
      const r = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      const a = r.Attributes ?? {};
      n += Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
    }
    return n;
  } finally {
    client.destroy();
  }
}

/**
 * Messages the topic queues' journals hold under a killed stack's data dir, read as a restart reads them. Asking
 * the restarted stack instead races its pollers, which may have drained the queues by the time the answer comes.
 */
function journaled(dataDir: string, info: ServeInfo): number {
  const store = new QueueStore({ region: info.region, dataDir });
  try {
    return Object.values(info.queues).reduce((n, url) => {
      const c = store.counts(queueNameFromUrl(url));
      return n + c.visible + c.inFlight + c.delayed;
    }, 0);
  } finally {
    store.close();
  }
}

/**
 * 5. `serve` is SIGKILLed mid-run and restarted on the same --data-dir: the queues' journal, the sent ledger
 * and the committed table survive, so the drained report accounts for the sends made before the kill.
 */
export const stackKilled: ChaosScenario = {
  name: 'stack-killed',
  title: 'Local stack SIGKILLed mid-run, restarted on the same data dir',
  defaultSize: 2000,
  run: async (ctx) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-chaos-kill-'));
    const topics = (await loadEnvironment(path.join(REPO_ROOT, 'environments/local.tfvars'))).topics;
    let serve: ServeProcess | undefined;
    try {
      serve = await startServe(dataDir, ctx.source);
      const half = Math.ceil(ctx.size / 2);
      // A paced send (about 3 s); the kill lands once the table has a commit, while messages are still arriving.
      const sending = sendTo(serve, { name: 'chaos-before-kill', total: half, rate: Math.max(50, Math.ceil(half / 3)), seed: 107, topics: TOPICS, mix: { malformed_json: 2 } }, topics);
      const versionHint = path.join(serve.info.warehousePath, 'metadata', 'version-hint.text');
      const version = () => (fs.existsSync(versionHint) ? fs.readFileSync(versionHint, 'utf8').trim() : '');
      const created = version();
      await waitFor('a commit to the RAW table', () => (version() !== created ? true : undefined), 30_000, 50);
      const queuedAtKill = await queued(serve);
      serve.child.kill('SIGKILL');
      await exited(serve.child);
      // Sends after the kill fail (connection refused) and are not in the ledger: only what SQS accepted counts.
      const first = await sending;
      const survived = journaled(dataDir, serve.info);
      serve = await startServe(dataDir, ctx.source);
      const second = await sendTo(serve, { name: 'chaos-after-kill', total: ctx.size - half, rate: 'unlimited', seed: 108, topics: TOPICS, mix: { malformed_json: 2 } }, topics);
      const report = await drain(serve.info.endpoint);
      const sent = first.sent + second.sent;
      return {
        report,
        checks: [
          { name: 'sends before the kill accounted', ok: report.balance.sent >= sent, detail: `report sent ${report.balance.sent}, injector sent ${sent}` },
          { name: 'queued messages survived the kill', ok: queuedAtKill === 0 || survived > 0, detail: `queued at kill ${queuedAtKill}, in the journal after the kill ${survived}` },
          { name: 'nothing unexpected', ok: report.unexpected.count === 0, detail: report.unexpected.first.slice(0, 3).join(', ') || undefined },
        ],
        note: `killed after the first commit with ${queuedAtKill} message(s) queued or in flight (${first.sent} of ${half} sends accepted before the kill); ${survived} in the queues' journal after it`,
      };
    } finally {
      if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
        serve.child.kill('SIGTERM');
        await Promise.race([exited(serve.child), sleep(15_000)]);
        if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
