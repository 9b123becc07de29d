import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { generateMessages } from './generate-messages';
import { inject } from './inject';
import { parseScenario } from './load-scenario';
import { isTransientError } from './sqs-transport';

const TOPICS = [
  { name: 'orders', expectedFields: ['order_id', 'amount', 'currency'] },
  { name: 'payments', expectedFields: ['payment_id', 'amount'] },
];
const QUEUES = { orders: 'http://127.0.0.1:9/000000000000/lo-orders', payments: 'http://127.0.0.1:9/000000000000/lo-payments' };

/** A fake SQSClient: `send` sees the real SDK command objects. */
function fakeClient(failFirstOf?: string) {
  const commands: Array<{ name: string; input: Record<string, unknown> }> = [];
  let failed = false;
  const client = {
    async send(command: SendMessageBatchCommand | SendMessageCommand) {
      commands.push({ name: command.constructor.name, input: command.input as unknown as Record<string, unknown> });
      if (command instanceof SendMessageBatchCommand) {
        const entries = command.input.Entries ?? [];
        const failId = !failed && failFirstOf ? entries.find((e) => e.MessageBody?.includes(failFirstOf))?.Id : undefined;
        if (failId) failed = true;
        return {
          Successful: entries.filter((e) => e.Id !== failId).map((e) => ({ Id: e.Id, MessageId: `sqs-${e.Id}`, MD5OfMessageBody: '' })),
          Failed: failId ? [{ Id: failId, SenderFault: false, Code: 'InternalError', Message: 'retry me' }] : [],
        };
      }
      return { MessageId: 'sqs-1' };
    },
  };
  return { client: client as unknown as SQSClient, commands };
}

describe('inject', () => {
  const scenario = parseScenario(
    { name: 'unit', total: 300, rate: 'unlimited', seed: 9, topics: { orders: 2, payments: 1 }, mix: { malformed_json: 10, processing_error: 10, duplicate: 5 }, event_time: '2026-11-26T08:00:00Z' },
    'unit.json',
  );
  const messages = generateMessages(scenario, TOPICS);

  it('sends every message with SendMessageBatch to its topic queue and sums up by topic and expected outcome', async () => {
    const { client, commands } = fakeClient(messages[5]?.body.slice(0, 40));
    const seen: number[] = [];
    const result = await inject({ scenario, queueUrls: QUEUES, client, messages, onProgress: (done) => seen.push(done), retry: { sleep: async () => undefined } });

    const bodies = commands.flatMap((c) => (c.input.Entries as Array<{ MessageBody: string }>).map((e) => e.MessageBody));
    expect(commands.every((c) => c.name === 'SendMessageBatchCommand')).toBe(true);
    expect(commands.every((c) => (c.input.Entries as unknown[]).length <= 10)).toBe(true);
    // One entry was failed by SQS (SenderFault false) and re-sent.
    expect(bodies).toHaveLength(301);
    expect(new Set(bodies).size).toBe(new Set(messages.map((m) => m.body)).size);
    for (const c of commands) {
      const topic = c.input.QueueUrl === QUEUES.orders ? 'orders' : 'payments';
      const entries = c.input.Entries as Array<{ MessageBody: string }>;
      expect(entries.every((e) => messages.some((m) => m.topic === topic && m.body === e.MessageBody))).toBe(true);
    }
    expect(result).toMatchObject({
      scenario: 'unit',
      total: 300,
      sent: 300,
      failed: 0,
      sentByTopic: { orders: 200, payments: 100 },
      sentByExpected: { raw: 225, quarantine: 30, dlq: 30, duplicate: 15 },
      failures: [],
      retries: 1,
    });
    expect(seen[seen.length - 1]).toBe(300);
    expect(result.recordsPerSecond).toBeGreaterThan(0);
  });

  it('generates the messages itself when none are given', async () => {
    const { client, commands } = fakeClient();
    const result = await inject({ scenario, queueUrls: QUEUES, client, topics: TOPICS });
    expect(result.sent).toBe(300);
    const bodies = commands.flatMap((c) => (c.input.Entries as Array<{ MessageBody: string }>).map((e) => e.MessageBody)).sort();
    expect(bodies).toEqual(messages.map((m) => m.body).sort());
  });

  it('sends in batches of at most the rate when the rate is below 10 records/s', async () => {
    const slow = parseScenario({ name: 'slow', total: 6, rate: 4, seed: 1, topics: { orders: 1 }, event_time: '2026-11-26T08:00:00Z' }, 'slow.json');
    const { client, commands } = fakeClient();
    const waits: number[] = [];
    await inject({ scenario: slow, queueUrls: QUEUES, client, topics: TOPICS, retry: { sleep: async (ms) => void waits.push(ms) } });
    expect(commands.map((c) => (c.input.Entries as unknown[]).length)).toEqual([4, 2]);
    expect(waits.length).toBeGreaterThan(0);
  });

  it('refuses to start without a queue URL for every topic', async () => {
    const { client, commands } = fakeClient();
    await expect(inject({ scenario, queueUrls: { orders: QUEUES.orders }, client, messages })).rejects.toThrow('no queue URL for topic(s): payments');
    expect(commands).toEqual([]);
  });
});

describe('isTransientError', () => {
  it.each([
    [{ name: 'RequestThrottled' }, true],
    [{ name: 'X', $metadata: { httpStatusCode: 503 } }, true],
    [{ name: 'X', $retryable: {} }, true],
    [{ code: 'ECONNREFUSED' }, true],
    [{ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } }, false],
    [{ name: 'InvalidParameterValue' }, false],
  ])('%j -> %s', (err, transient) => expect(isTransientError(err)).toBe(transient));
});
