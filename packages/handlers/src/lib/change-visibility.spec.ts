import type { SQSClient } from '@aws-sdk/client-sqs';
import { planVisibilityChanges } from '../core/retry-visibility';
import { changeVisibility, pacingBudgetMs } from './change-visibility';
import { setLogSink } from './logger';

type Sent = { QueueUrl: string; Entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout: number }> };

/** An SQSClient stand-in: records each command's input and answers with `answer`. */
function stubSqs(answer: (input: Sent) => Promise<unknown>) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { input: Sent }) => {
      sent.push(command.input);
      return answer(command.input);
    },
  } as unknown as SQSClient;
  return { client, sent };
}

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  setLogSink((l) => lines.push(l));
});

const records = (n: number, queueUrl = 'https://sqs/q') => Array.from({ length: n }, (_, i) => ({ queueUrl, messageId: `m-${i}`, receiptHandle: `rh-${i}`, receiveCount: 2 }));

describe('changeVisibility', () => {
  it('sends each planned call and counts the changed entries', async () => {
    const { client, sent } = stubSqs(async (input) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }));
    const result = await changeVisibility(client, planVisibilityChanges(records(12), 10, 300), 5000);
    expect(result).toEqual({ changed: 12, failed: 0 });
    expect(sent.map((s) => s.Entries.length)).toEqual([10, 2]);
    expect(sent[0]?.Entries[0]).toEqual({ Id: 'r0', ReceiptHandle: 'rh-0', VisibilityTimeout: 20 });
  });

  it('logs entries SQS refused and carries on', async () => {
    const { client } = stubSqs(async () => ({ Successful: [{ Id: 'r0' }], Failed: [{ Id: 'r1', Code: 'ReceiptHandleIsInvalid', SenderFault: true, Message: 'gone' }] }));
    expect(await changeVisibility(client, planVisibilityChanges(records(2), 10, 300), 5000)).toEqual({ changed: 1, failed: 1 });
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'VISIBILITY_CHANGE_FAILED');
    expect(logged).toEqual([expect.objectContaining({ sqs_message_id: 'm-1', code: 'ReceiptHandleIsInvalid' })]);
  });

  it('never throws when SQS is down: the records wait their normal visibility timeout', async () => {
    const { client } = stubSqs(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
    });
    await expect(changeVisibility(client, planVisibilityChanges(records(3), 10, 300), 5000)).resolves.toEqual({ changed: 0, failed: 3 });
    expect(lines.some((l) => l.includes('VISIBILITY_CHANGE_FAILED') && l.includes('ECONNREFUSED'))).toBe(true);
  });

  it('skips the calls when the invocation has no time left for them', async () => {
    const { client, sent } = stubSqs(async () => ({}));
    expect(await changeVisibility(client, planVisibilityChanges(records(2), 10, 300), 0)).toEqual({ changed: 0, failed: 2 });
    expect(sent).toEqual([]);
    expect(lines.some((l) => l.includes('VISIBILITY_CHANGE_SKIPPED'))).toBe(true);
  });

  it('gives up on a hanging endpoint within its time budget', async () => {
    const hanging = {
      send: (_c: unknown, opts: { abortSignal: AbortSignal }) => new Promise((_, reject) => opts.abortSignal.addEventListener('abort', () => reject(new Error('aborted')))),
    } as unknown as SQSClient;
    const started = Date.now();
    expect(await changeVisibility(hanging, planVisibilityChanges(records(1), 10, 300), 50)).toEqual({ changed: 0, failed: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('budgets at most 5 s and keeps 500 ms to return the response', () => {
    expect(pacingBudgetMs(60_000)).toBe(5000);
    expect(pacingBudgetMs(1_500)).toBe(1000);
    expect(pacingBudgetMs(400)).toBe(0);
    expect(pacingBudgetMs(undefined)).toBe(5000);
  });

  it('makes no call when there is nothing to pace', async () => {
    const { client, sent } = stubSqs(async () => ({}));
    expect(await changeVisibility(client, [], 5000)).toEqual({ changed: 0, failed: 0 });
    expect(sent).toEqual([]);
  });
});
