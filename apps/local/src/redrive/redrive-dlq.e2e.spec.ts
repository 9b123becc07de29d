import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { queueDepth, send, waitFor } from '../chaos/harness';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { parseRedriveArgs } from './args';
import { runRedrive } from './redrive';
import { resolveTargets, type RedriveTargets } from './targets';
import { REPO_ROOT } from '../stack/repo-root';

const COUNT = 4;

describe('redrive from the DLQ on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let targets: RedriveTargets;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-redrive-dlq-'));
    stack = await startLocalStack({ dataDir: path.join(dir, 'data') });
    const infoFile = path.join(dir, 'serve.json');
    fs.writeFileSync(infoFile, `npm noise before the info line\n${JSON.stringify(stack.info)}\n`);
    targets = await resolveTargets(parseRedriveArgs(['--all', '--stack-info', infoFile]), REPO_ROOT);
  });

  afterAll(async () => {
    targets?.close();
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("moves one topic's dead letters back to its queue while the archive is down, and they land", async () => {
    // Dead letters that cannot be archived (S3 down) stay in the DLQ.
    await stack.faults.setS3Down(true);
    stack.faults.setFirehose({ perRecordFailureRate: 1 });
    await send(stack, { name: 'dlq-orders', total: COUNT, rate: 'unlimited', seed: 8, topics: { orders: 1 } });
    await send(stack, { name: 'dlq-clicks', total: 2, rate: 'unlimited', seed: 9, topics: { clickstream: 1 } });
    await waitFor('the dead letters in the DLQ', async () => ((await queueDepth(stack, stack.dlqUrl)) === COUNT + 2 ? true : undefined), 120_000, 500);
    stack.faults.setFirehose({ perRecordFailureRate: 0 });

    const dry = await runRedrive(targets, parseRedriveArgs(['--topic', 'orders', '--source', 'dlq', '--dry-run']));
    expect(dry.replayed).toBeLessThanOrEqual(COUNT);
    expect(await queueDepth(stack, stack.dlqUrl)).toBe(COUNT + 2);

    // The DLQ processor is paused for the move, so one run finds every dead letter of the topic.
    const moved = await runRedrive(targets, parseRedriveArgs(['--topic', 'orders', '--source', 'dlq']));
    expect(moved).toMatchObject({ considered: COUNT, replayed: COUNT, failed: 0 });
    expect(await queueDepth(stack, stack.dlqUrl)).toBe(2);

    await stack.faults.setS3Down(false);
    await stack.waitForSettled({ timeoutMs: 120_000 });
    const report = await stack.report();
    expect(report.ledger.find((t) => t.topic === 'orders')).toMatchObject({ rawDistinct: COUNT, dlqArchived: 0 });
    expect(report.ledger.find((t) => t.topic === 'clickstream')).toMatchObject({ dlqArchived: 2 });
    expect(report.balance).toMatchObject({ lost: 0, holds: true });
  });

  it('moves every dead letter back to its own source with a message move task (--all)', async () => {
    await stack.faults.setS3Down(true);
    stack.faults.setFirehose({ perRecordFailureRate: 1 });
    await send(stack, { name: 'dlq-all', total: 3, rate: 'unlimited', seed: 10, topics: { payments: 1 } });
    await waitFor('the dead letters in the DLQ', async () => ((await queueDepth(stack, stack.dlqUrl)) === 3 ? true : undefined), 120_000, 500);
    stack.faults.setFirehose({ perRecordFailureRate: 0 });

    expect(await runRedrive(targets, parseRedriveArgs(['--all', '--dry-run']))).toMatchObject({ source: 'dlq-move-task', considered: 3 });
    expect(await queueDepth(stack, stack.dlqUrl)).toBe(3);
    expect(await runRedrive(targets, parseRedriveArgs(['--all']))).toMatchObject({ source: 'dlq-move-task', replayed: 3 });
    expect(await queueDepth(stack, stack.dlqUrl)).toBe(0);
    // The DLQ processor runs again after the move.
    const dlqMapping = Object.values((await stack.activity()).mappings).find((m) => m.eventSourceArn.endsWith('-dlq'));
    expect(dlqMapping?.state).toBe('Enabled');
    await stack.faults.setS3Down(false);
    await stack.waitForSettled({ timeoutMs: 120_000 });
    const report = await stack.report();
    expect(report.ledger.find((t) => t.topic === 'payments')).toMatchObject({ rawDistinct: 3, dlqArchived: 0 });
    expect(report.balance).toMatchObject({ lost: 0, holds: true });
  });
});
