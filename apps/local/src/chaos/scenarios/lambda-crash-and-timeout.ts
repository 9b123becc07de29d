import type { ErrorStatus } from '@lean-ops/contracts';
import * as path from 'node:path';
import type { ChaosScenario } from '../chaos-types';
import { expectedCounts, mergeSends, send, settleAndReport, sleep, waitFor, withFreshStack, type Sent } from '../harness';
import { childProcesses, signalAll } from '../worker-processes';

const TOPICS = { orders: 1, payments: 1, clickstream: 1 };
const CRASHES = 10;

/**
 * 4. `lambda_crash_once` records kill their execution environment mid-batch, and a handler timeout: the
 * processor's environments are frozen (SIGSTOP) for longer than the function timeout while a batch is sent, so
 * the runtime times those invocations out and kills them, as Lambda does with a hung handler. No per-message
 * fault can hang the processor (it stops its own retries 2 s before the deadline), hence the frozen environment.
 * Both batches come back after the visibility timeout (6 x the function timeout) and land, unless a batch holds
 * crash records for every one of its receives: then it moves to the DLQ whole, as on AWS, and is archived, often
 * after an earlier attempt already delivered it (at-least-once). Such a message is counted once, in RAW when it has
 * a row there, and its archive copy is a duplicate.
 */
export const lambdaCrashAndTimeout: ChaosScenario = {
  name: 'lambda-crash-and-timeout',
  title: 'Lambda crash mid-batch and a handler timeout',
  defaultSize: 1000,
  run: (ctx) =>
    withFreshStack({ ...ctx.source, log: ctx.stackLog }, async (stack) => {
      const processor = `${stack.config.namePrefix}-sqs-processor`;
      const timeoutMs = stack.config.lambda.timeoutSeconds * 1000;
      // Warm environments first, so there are some to freeze.
      const warm = await send(stack, { name: 'chaos-warm', total: 30, rate: 'unlimited', seed: 104, topics: TOPICS });
      await stack.waitForSettled({ timeoutMs: 60_000 });

      // The processor's environments run its unpacked deployment package: <data dir>/functions/<function name>/...
      const workers = childProcesses(process.pid, ['lambda-worker', `${path.sep}functions${path.sep}${processor}${path.sep}`]);
      signalAll(workers, 'SIGSTOP');
      const frozenAt = Date.now();
      let frozen: Sent;
      try {
        frozen = await send(stack, { name: 'chaos-frozen', total: Math.ceil(ctx.size / 2), rate: 'unlimited', seed: 105, topics: TOPICS });
        await sleep(timeoutMs + 1500);
        // On a busy machine a batch may reach a frozen environment late: thawing it before its timeout would let it
        // finish. Stay frozen until the runtime timed an invocation out.
        await waitFor('a processor invocation to time out', async () => (((await stack.activity()).functions[processor]?.timeouts ?? 0) >= 1 ? true : undefined), 60_000).catch(() => undefined);
      } finally {
        // Environments the runtime did not kill (no invocation reached them) run on.
        signalAll(workers, 'SIGCONT');
      }
      const frozenSeconds = (Date.now() - frozenAt) / 1000;

      const crashTotal = Math.floor(ctx.size / 2);
      const crashing = await send(stack, { name: 'chaos-crash', total: crashTotal, rate: 'unlimited', seed: 106, topics: TOPICS, mix: { lambda_crash_once: (CRASHES / crashTotal) * 100 } });
      const all = mergeSends([warm, frozen, crashing]);
      const report = await settleAndReport(stack, all);
      const stats = (await stack.activity()).functions[processor];
      const want = expectedCounts(all.messages);
      const rawAndArchive = report.duplicates.crossBreakdown['raw+dlq'] ?? 0;
      const archivedItems = (['DLQ_ARCHIVED', 'REDRIVEN'] satisfies ErrorStatus[]).reduce((n, st) => n + (report.errorTracker.byStatus[st] ?? 0), 0);
      return {
        report,
        checks: [
          { name: 'an invocation timed out', ok: (stats?.timeouts ?? 0) >= 1, detail: `timeouts ${stats?.timeouts ?? 0}, froze ${workers.length} environment(s)` },
          { name: 'an invocation crashed', ok: (stats?.crashes ?? 0) >= 1, detail: `crashes ${stats?.crashes ?? 0}` },
          {
            name: 'every record in RAW or archived',
            ok: report.balance.rawDistinct + report.balance.dlqArchived === want.raw,
            detail: `RAW ${report.balance.rawDistinct} + archived ${report.balance.dlqArchived} of ${want.raw}`,
          },
          // The tracker holds one item per archived message (DynamoDB, not the S3 listing the balance reads): each is
          // counted either as DLQ-archived or, having reached RAW too, as a RAW+archive duplicate.
          {
            name: 'archived copies of RAW rows counted as duplicates',
            ok: archivedItems === report.balance.dlqArchived + rawAndArchive && report.balance.duplicates >= rawAndArchive,
            detail: `tracker DLQ_ARCHIVED ${archivedItems} = archived ${report.balance.dlqArchived} + RAW+archive ${rawAndArchive}; duplicates ${report.balance.duplicates}`,
          },
        ],
        note: `timeout: ${workers.length} processor environment(s) frozen with SIGSTOP for ${frozenSeconds.toFixed(1)} s; ${stats?.timeouts ?? 0} timeout(s), ${stats?.crashes ?? 0} crash(es); ${report.balance.dlqArchived} archived, ${rawAndArchive} RAW+archive duplicate(s)`,
      };
    }),
};
