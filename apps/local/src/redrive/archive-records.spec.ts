import { createHash } from 'node:crypto';
import { dlqArchiveKey, type DlqArchiveRecord } from '@lean-ops/contracts';
import { archiveDayOfKey, checkArchiveRecord, dayInRange, sentMs, toMessageAttributes } from './archive-records';
import { selectForTopic } from './redrive-dlq';

const body = '{"message_id":"m-1","json_payload":{"n":12345678901234567890,"s":"Zoë"}}';
const record = (over: Partial<DlqArchiveRecord> = {}): DlqArchiveRecord => ({
  topic_name: 'orders',
  message_id: 'm-1',
  sqs_message_id: 'sqs-1',
  source_queue_arn: 'arn:aws:sqs:us-east-1:000000000000:lo-orders',
  receive_count: 3,
  archived_at: '2026-11-26T08:00:10.000Z',
  attributes: { SentTimestamp: String(Date.parse('2026-11-25T23:59:00Z')) },
  message_attributes: { trace: { stringValue: 'abc', dataType: 'String' }, blob: { binaryValue: 'AA==', dataType: 'Binary' } },
  payload_sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
  body,
  ...over,
});

describe('archive records', () => {
  it('reads the day from the key layout in contracts', () => {
    const key = dlqArchiveKey('orders', new Date('2026-11-25T23:59:00Z'), 'm-1');
    expect(archiveDayOfKey(key)).toBe('2026-11-25');
    expect(archiveDayOfKey('dlq-archive/topic=orders/m-1.json')).toBeUndefined();
  });

  it('filters days inclusively', () => {
    expect(dayInRange('2026-11-25', new Date('2026-11-25T23:00:00Z'), new Date('2026-11-26T01:00:00Z'))).toBe(true);
    expect(dayInRange('2026-11-24', new Date('2026-11-25T00:00:00Z'))).toBe(false);
    expect(dayInRange('2026-11-27', undefined, new Date('2026-11-26T23:59:59Z'))).toBe(false);
  });

  it('accepts an intact record and takes the original enqueue time', () => {
    const check = checkArchiveRecord(JSON.stringify(record()), 'orders');
    expect(check.ok).toBe(true);
    if (check.ok) expect(sentMs(check.record)).toBe(Date.parse('2026-11-25T23:59:00Z'));
    expect(sentMs(record({ attributes: {} }))).toBe(Date.parse('2026-11-26T08:00:10.000Z'));
  });

  it('refuses a record that was altered, belongs to another topic or is not one', () => {
    expect(checkArchiveRecord(JSON.stringify(record({ body: body.replace('Zoë', 'Zoe') })), 'orders')).toEqual({ ok: false, problem: 'body does not match payload_sha256' });
    expect(checkArchiveRecord(JSON.stringify(record()), 'payments')).toMatchObject({ ok: false });
    expect(checkArchiveRecord('[]', 'orders')).toMatchObject({ ok: false, problem: 'not a JSON object' });
    expect(checkArchiveRecord('{', 'orders')).toMatchObject({ ok: false, problem: 'not JSON' });
  });

  it('turns Lambda event attributes back into SendMessage attributes (string kinds only)', () => {
    expect(toMessageAttributes(record().message_attributes)).toEqual({ trace: { DataType: 'String', StringValue: 'abc' } });
  });
});

describe('DLQ selection', () => {
  const arn = 'arn:aws:sqs:us-east-1:000000000000:lo-orders';
  it('takes only messages from the topic queue inside the range', () => {
    const sent = String(Date.parse('2026-11-26T08:00:00Z'));
    expect(selectForTopic({ Attributes: { DeadLetterQueueSourceArn: arn, SentTimestamp: sent } }, arn)).toBe(true);
    expect(selectForTopic({ Attributes: { DeadLetterQueueSourceArn: `${arn}-x`, SentTimestamp: sent } }, arn)).toBe(false);
    expect(selectForTopic({ Attributes: { DeadLetterQueueSourceArn: arn, SentTimestamp: sent } }, arn, new Date('2026-11-26T09:00:00Z'))).toBe(false);
  });
});
