import type { ExpectedMessage } from './verification';
import { checkIdentities, type Findings } from './identity-check';
import { misplacedMessages, verificationRows, type VerificationInput } from './verification';

const messages: ExpectedMessage[] = [
  { kind: 'good', expected: 'raw', messageId: 'g-1' },
  { kind: 'schema_drift', expected: 'raw', messageId: 'd-1' },
  { kind: 'malformed_json', expected: 'quarantine' },
  { kind: 'processing_error', expected: 'dlq', messageId: 'p-1' },
];
const sent = new Map([
  ['g-1', { topic: 'orders', count: 1, sqsMessageIds: ['s1'] }],
  ['d-1', { topic: 'orders', count: 1, sqsMessageIds: ['s2'] }],
  ['s3', { topic: 'orders', count: 1, sqsMessageIds: ['s3'] }],
  ['p-1', { topic: 'orders', count: 1, sqsMessageIds: ['s4'] }],
]);
const findings: Findings = {
  raw: [
    { topic: 'orders', id: 'g-1' },
    { topic: 'orders', id: 'd-1' },
  ],
  quarantine: [{ topic: 'orders', id: 's3' }],
  dlq: [{ topic: 'orders', id: 'p-1' }],
  errors: [],
};

const input = (over: Partial<VerificationInput> = {}): VerificationInput => ({
  check: checkIdentities(sent, findings),
  messages,
  quarantine: [{ topic: 'orders', id: 's3', reason: 'MALFORMED_JSON', key: 'quarantine/topic=orders/dt=2026-11-26/s3.json' }],
  archive: [{ topic: 'orders', id: 'p-1', receiveCount: 4, key: 'dlq-archive/topic=orders/dt=2026-11-26/p-1.json' }],
  driftIds: new Set(['d-1']),
  trackerByStatus: { QUARANTINED: 1, DLQ_ARCHIVED: 1 },
  dropping: { MALFORMED_JSON: 1 },
  rawDistinct: 2,
  recordsPerSecond: 1234.4,
  maxReceiveCount: 3,
  archiveBucket: 'arch',
  ...over,
});
const status = (rows: ReturnType<typeof verificationRows>) => Object.fromEntries(rows.map((r) => [r.scenario, r.status]));

describe('verification rows', () => {
  it('passes every row when each message is where the injector expected it', () => {
    const rows = verificationRows(input());
    expect(status(rows)).toEqual({ 'Happy Path': 'pass', 'Malformed JSON': 'pass', 'Processing Error': 'pass', 'DLQ Archival': 'pass', 'DynamoDB Logging': 'pass', 'Schema Drift': 'pass' });
    expect(rows[0]?.result).toBe('2 of 2 records processed at ~1,234/sec');
    expect(rows.find((r) => r.scenario === 'DLQ Archival')!.details).toEqual(['s3://arch/dlq-archive/topic=orders/dt=2026-11-26/p-1.json']);
    expect(misplacedMessages(input().check, messages)).toEqual([]);
  });

  it('fails a processing error archived before its receives were used up', () => {
    const rows = verificationRows(input({ archive: [{ topic: 'orders', id: 'p-1', receiveCount: 2, key: 'k' }] }));
    expect(status(rows)['Processing Error']).toBe('fail');
  });

  it('fails malformed JSON without its DROPPING log line, and the tracker when an item is missing', () => {
    const rows = verificationRows(input({ dropping: {}, trackerByStatus: { QUARANTINED: 1 } }));
    expect(status(rows)['Malformed JSON']).toBe('fail');
    expect(status(rows)['DynamoDB Logging']).toBe('fail');
  });

  it('fails the happy path and names the message that never landed', () => {
    const check = checkIdentities(sent, { ...findings, raw: [{ topic: 'orders', id: 'd-1' }] });
    const rows = verificationRows(input({ check }));
    expect(rows[0]).toMatchObject({ status: 'fail', expected: 2, actual: 1, details: ['missing: g-1'] });
    expect(misplacedMessages(check, messages)).toEqual([{ identity: 'g-1', expected: 'raw', found: [] }]);
  });

  it('passes a message expected in the DLQ that is archived and also in RAW, and names it as a duplicate', () => {
    const check = checkIdentities(sent, { ...findings, raw: [...findings.raw, { topic: 'orders', id: 'p-1' }] });
    expect(check.assigned.get('p-1')).toBe('raw');
    const rows = verificationRows(input({ check }));
    expect(status(rows)).toMatchObject({ 'Processing Error': 'pass', 'DLQ Archival': 'pass' });
    expect(rows.find((r) => r.scenario === 'Processing Error')!.details).toEqual(['also in RAW (duplicate, counted in RAW): p-1']);
    expect(misplacedMessages(check, messages)).toEqual([]);
  });

  it('flags a message expected in the DLQ with a RAW row but no archive object', () => {
    const check = checkIdentities(sent, { ...findings, raw: [...findings.raw, { topic: 'orders', id: 'p-1' }], dlq: [] });
    const rows = verificationRows(input({ check, archive: [] }));
    expect(status(rows)).toMatchObject({ 'Processing Error': 'fail', 'DLQ Archival': 'fail' });
    expect(misplacedMessages(check, messages)).toEqual([{ identity: 'p-1', expected: 'dlq', found: ['raw'] }]);
  });

  it('notes archived messages expected in RAW (a batch that crashed every receive); misplaced only without a RAW row', () => {
    const check = checkIdentities(sent, { ...findings, dlq: [...findings.dlq, { topic: 'orders', id: 's1' }, { topic: 'orders', id: 'd-1' }], raw: [{ topic: 'orders', id: 'd-1' }] });
    const archive = [
      { topic: 'orders', id: 'p-1', receiveCount: 3, key: 'dlq-archive/topic=orders/dt=2026-11-26/p-1.json' },
      // g-1 filed under its SQS MessageId
      { topic: 'orders', id: 's1', receiveCount: 3, key: 'dlq-archive/topic=orders/dt=2026-11-26/s1.json' },
      { topic: 'orders', id: 'd-1', receiveCount: 3, key: 'dlq-archive/topic=orders/dt=2026-11-26/d-1.json' },
    ];
    const rows = verificationRows(input({ check, archive, trackerByStatus: { QUARANTINED: 1, DLQ_ARCHIVED: 3 } }));
    const dlq = rows.find((r) => r.scenario === 'DLQ Archival')!;
    expect(dlq).toMatchObject({ status: 'pass', expected: 1, actual: 1 });
    expect(dlq.details).toContain('2 archived that were expected elsewhere (their batch failed 3 receives), 1 of them also in RAW');
    expect(misplacedMessages(check, messages)).toEqual([{ identity: 'g-1', expected: 'raw', found: ['dlq'] }]);
  });

  it('judges from what was found when the injected messages are unknown (serve + external inject)', () => {
    const rows = verificationRows(input({ messages: undefined }));
    expect(rows.map((r) => r.scenario)).toEqual(['Happy Path', 'Malformed JSON', 'Processing Error', 'DLQ Archival', 'DynamoDB Logging']);
    expect(rows.every((r) => r.status === 'pass')).toBe(true);
  });
});
