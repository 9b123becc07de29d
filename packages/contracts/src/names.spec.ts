import { createTableInput, names, topicFromQueueName, queueNameFromArn, minuteWindow, quarantineKey, dlqArchiveKey, RAW_COLUMNS, RAW_LAST_COLUMN_ID, rawIcebergSchema } from './index';

describe('names', () => {
  it('round-trips topic queue names and refuses the DLQ', () => {
    expect(topicFromQueueName('lo-dev', names.topicQueue('lo-dev', 'orders'))).toBe('orders');
    expect(topicFromQueueName('lo-dev', names.dlq('lo-dev'))).toBeUndefined();
    expect(topicFromQueueName('lo-dev', 'other-orders')).toBeUndefined();
  });
  it('takes the queue name from an ARN', () => {
    expect(queueNameFromArn('arn:aws:sqs:eu-west-1:123456789012:lo-dev-orders')).toBe('lo-dev-orders');
  });
  it('makes Glue-safe database names', () => {
    expect(names.glueDatabase('lean-ops-dev')).toBe('lean_ops_dev_lake');
  });
});

describe('keys and windows', () => {
  const d = new Date('2026-11-26T08:15:42.123Z');
  it('windows by minute', () => expect(minuteWindow(d)).toBe('2026-11-26T08:15Z'));
  it('lays out quarantine and archive keys by topic and day', () => {
    expect(quarantineKey('orders', d, 'm-1')).toBe('quarantine/topic=orders/dt=2026-11-26/m-1.json');
    expect(dlqArchiveKey('orders', d, 'm-1')).toBe('dlq-archive/topic=orders/dt=2026-11-26/m-1.json');
  });
  it('never lets a message id escape its folder', () => {
    expect(quarantineKey('orders', d, '../../x/y')).toBe('quarantine/topic=orders/dt=2026-11-26/%2E%2E%2F%2E%2E%2Fx%2Fy.json');
  });
});

describe('RAW schema', () => {
  it('has unique field ids up to last-column-id', () => {
    const ids: number[] = RAW_COLUMNS.flatMap((c) => (typeof c.type === 'string' ? [c.id] : [c.id, c.type.elementId]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids)).toBe(RAW_LAST_COLUMN_ID);
  });
  it('renders the Iceberg schema JSON with list element ids', () => {
    const s = rawIcebergSchema() as { fields: Array<{ name: string; type: unknown }> };
    expect(s.fields.map((f) => f.name)).toEqual(['topic_name', 'message_id', 'event_time', 'ingested_at', 'json_payload', 'drift_fields', 'receive_count', 'source_queue']);
    expect(s.fields[5]?.type).toEqual({ type: 'list', 'element-id': 9, element: 'string', 'element-required': true });
  });
});

describe('DynamoDB tables', () => {
  it('builds CreateTable input from the shared keys', () => {
    expect(createTableInput('errors', 't')).toEqual({
      TableName: 't',
      KeySchema: [
        { AttributeName: 'topic_name', KeyType: 'HASH' },
        { AttributeName: 'message_id', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'topic_name', AttributeType: 'S' },
        { AttributeName: 'message_id', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(createTableInput('locks', 'l').KeySchema).toEqual([{ AttributeName: 'lock_id', KeyType: 'HASH' }]);
  });
});
