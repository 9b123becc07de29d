import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ERRORS } from '@lean-ops/contracts';
import { send, waitFor } from '../chaos/harness';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { parseRedriveArgs } from './args';
import { runRedrive } from './redrive';
import { resolveTargets, type RedriveTargets } from './targets';
import { REPO_ROOT } from '../stack/repo-root';

const TOPIC = 'payments';
const COUNT = 5;

describe('redrive on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let targets: RedriveTargets;
  let ids: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-redrive-'));
    stack = await startLocalStack({ dataDir: path.join(dir, 'data') });
    const infoFile = path.join(dir, 'serve.json');
    fs.writeFileSync(infoFile, `${JSON.stringify(stack.info)}\n`);
    targets = await resolveTargets(parseRedriveArgs(['--topic', TOPIC, '--stack-info', infoFile]), REPO_ROOT);

    // A transient failure: every record fails per record until it is cleared, so these end in the DLQ archive.
    stack.faults.setFirehose({ perRecordFailureRate: 1 });
    const sent = await send(stack, { name: 'redrive', total: COUNT, rate: 'unlimited', seed: 7, topics: { [TOPIC]: 1 } });
    ids = sent.messages.map((m) => m.messageId!);
    await waitFor('the records archived', async () => ((await stack.report()).balance.dlqArchived === COUNT ? true : undefined), 120_000, 1000);
    stack.faults.setFirehose({ perRecordFailureRate: 0 });
    await stack.waitForSettled({ timeoutMs: 120_000 });
  });

  afterAll(async () => {
    targets?.close();
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const status = async (id: string) =>
    (await targets.dynamodb.send(new GetItemCommand({ TableName: stack.tables.errors, Key: { [ERRORS.partitionKey]: { S: TOPIC }, [ERRORS.sortKey]: { S: id } } }))).Item?.[ERRORS.attributes.status]
      ?.S;

  it('a dry run lists what it would replay and changes nothing', async () => {
    const s = await runRedrive(targets, parseRedriveArgs(['--topic', TOPIC, '--dry-run']));
    expect(s.replayed).toBe(COUNT);
    expect(s.messageIds.sort()).toEqual([...ids].sort());
    expect(await status(ids[0] ?? 'no message sent')).toBe('DLQ_ARCHIVED');
  });

  it('replays the archived bodies unchanged into RAW and marks the items REDRIVEN', async () => {
    const s = await runRedrive(targets, parseRedriveArgs(['--topic', TOPIC]));
    expect(s).toMatchObject({ replayed: COUNT, skipped: 0, failed: 0, invalid: 0 });
    for (const id of ids) expect(await status(id)).toBe('REDRIVEN');
    await stack.waitForSettled({ timeoutMs: 120_000 });
    const report = await stack.report();
    const payments = report.ledger.find((t) => t.topic === TOPIC)!;
    expect(payments.rawDistinct).toBe(COUNT);
    expect(report.lost.count).toBe(0);
  });

  it('replays nothing on a second run', async () => {
    const s = await runRedrive(targets, parseRedriveArgs(['--topic', TOPIC]));
    expect(s).toMatchObject({ considered: COUNT, replayed: 0, skipped: COUNT });
  });

  it('keeps the water balance', async () => {
    await stack.waitForSettled({ timeoutMs: 60_000 });
    const report = await stack.report();
    expect(report.balance.lost).toBe(0);
    expect(report.balance.holds).toBe(true);
  });
});
