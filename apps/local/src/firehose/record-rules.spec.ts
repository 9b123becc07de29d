import { RAW_COLUMNS } from '@lean-ops/contracts';
import { judgeRecord, RECORD_RULES } from './record-rules';

const row = {
  topic_name: 'orders',
  message_id: 'ord-1',
  event_time: 1795677342123456,
  ingested_at: 1795680000000000,
  json_payload: '{"a":1}',
  drift_fields: ['x'],
  receive_count: 1,
  source_queue: 'lean-ops-local-orders',
};
const judge = (record: unknown) => judgeRecord(Buffer.from(JSON.stringify(record)));

describe('Firehose Iceberg record rules', () => {
  it('has one rule per documented check, each naming its AWS page and error code', () => {
    expect(RECORD_RULES.map((r) => r.id)).toEqual(['top-level-keys-are-columns', 'required-columns-present', 'timestamps-are-microseconds', 'values-match-column-types']);
    for (const rule of RECORD_RULES) {
      expect(rule.doc).toMatch(/apache-iceberg-/);
      expect(rule.errorCode).toMatch(/^Iceberg\./);
    }
  });

  it('lands a row whose timestamps are epoch microseconds', () => {
    expect(judge(row)).toEqual({ ok: true, row });
    expect(judge({ ...row, event_time: null })).toMatchObject({ ok: true });
  });

  it.each(RAW_COLUMNS.filter((c) => c.type === 'timestamptz').map((c) => c.name))('sends an ISO-8601 %s to the error output', (column) => {
    const verdict = judge({ ...row, [column]: '2026-11-26T08:15:42.123456Z' });
    expect(verdict).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
    if (verdict.ok) throw new Error('unreachable');
    expect(verdict.errorMessage).toContain(`column "${column}": expected timestamp as epoch microseconds`);
    expect(verdict.errorMessage).toContain('[rule timestamps-are-microseconds]');
  });

  it('refuses fractional and out-of-range microseconds', () => {
    expect(judge({ ...row, ingested_at: 1795680000000000.5 })).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
    expect(judgeRecord(Buffer.from(JSON.stringify(row).replace('1795680000000000', '99999999999999999999')))).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
  });

  it('fails unknown keys, missing required columns, wrong types and non-objects with their codes', () => {
    expect(judge({ ...row, extra: 1 })).toMatchObject({ ok: false, errorCode: 'Iceberg.UnknownColumnWithinRecord' });
    const { message_id: _m, ...missing } = row;
    expect(judge(missing)).toMatchObject({ ok: false, errorCode: 'Iceberg.MissingColumnWithinRecord' });
    expect(judge({ ...row, receive_count: '1' })).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
    expect(judge({ ...row, drift_fields: [1] })).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
    expect(judge([row])).toMatchObject({ ok: false, errorCode: 'Iceberg.InvalidJson' });
    expect(judgeRecord(Buffer.from('{"topic_name":'))).toMatchObject({ ok: false, errorCode: 'Iceberg.InvalidJson' });
  });
});
