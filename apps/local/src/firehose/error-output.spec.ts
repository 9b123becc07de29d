import { FIREHOSE_ERROR_OUTPUT_PREFIX } from '@lean-ops/contracts';
import { errorObjectKey, errorOutputBody, errorOutputRecord, expandPrefix, formatJavaDate, ICEBERG_ERROR_OUTPUT_TYPE } from './error-output';
import { judgeRecord } from './record-rules';

const at = new Date('2026-11-26T08:05:09.042Z');

describe('error output', () => {
  it('expands the contracts prefix with the error type and the arrival date', () => {
    expect(expandPrefix(FIREHOSE_ERROR_OUTPUT_PREFIX, { errorOutputType: ICEBERG_ERROR_OUTPUT_TYPE, at, randomString: 'r' })).toBe(`firehose-errors/${ICEBERG_ERROR_OUTPUT_TYPE}/2026/11/26/`);
  });
  it('formats Java DateTimeFormatter patterns with quoted literals', () => {
    expect(formatJavaDate("yyyy-MM-dd'T'HH:mm:ss", at)).toBe('2026-11-26T08:05:09');
    expect(formatJavaDate("'dt='yyyy/'h='HH", at)).toBe('dt=2026/h=08');
    expect(() => formatJavaDate('yyyy-QQ', at)).toThrow(/Q/);
  });
  it('names objects <prefix><stream>-<version>-<timestamp>-<id>, stable for the same records', () => {
    const o = { prefix: FIREHOSE_ERROR_OUTPUT_PREFIX, streamName: 'lo-raw', streamVersion: 1, oldestArrival: at, uniqueId: 'lo-raw/5,6' };
    const key = errorObjectKey(o);
    expect(key).toMatch(/^firehose-errors\/iceberg-failed\/2026\/11\/26\/lo-raw-1-2026-11-26-08-05-09-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(errorObjectKey(o)).toBe(key);
    expect(errorObjectKey({ ...o, uniqueId: 'lo-raw/7' })).not.toBe(key);
  });
  it('writes one JSON line per failed record with the raw data in base64', () => {
    const data = Buffer.from('{"topic_name":"a","extra":"é"}');
    const verdict = judgeRecord(data);
    expect(verdict).toMatchObject({ ok: false, errorCode: 'Iceberg.UnknownColumnWithinRecord' });
    if (verdict.ok) throw new Error('unreachable');
    const rec = errorOutputRecord({ attemptsMade: 3, arrivalTimestamp: 1000, errorCode: verdict.errorCode, errorMessage: verdict.errorMessage, attemptEndingTimestamp: 4000, data });
    const body = errorOutputBody([rec, rec]);
    const lines = body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0])).toEqual(['attemptsMade', 'arrivalTimestamp', 'errorCode', 'errorMessage', 'attemptEndingTimestamp', 'rawData']);
    expect(Buffer.from(lines[0].rawData, 'base64').equals(data)).toBe(true);
  });
  it('classifies records that do not fit the table', () => {
    expect(judgeRecord(Buffer.from('not json'))).toMatchObject({ ok: false, errorCode: 'Iceberg.InvalidJson' });
    expect(judgeRecord(Buffer.from('{"topic_name":"a"}'))).toMatchObject({ ok: false, errorCode: 'Iceberg.MissingColumnWithinRecord' });
    const row = { topic_name: 't', message_id: 'm', event_time: null, ingested_at: 1795680000000000, json_payload: '{}', drift_fields: [], receive_count: 1, source_queue: 'q' };
    expect(judgeRecord(Buffer.from(JSON.stringify(row)))).toEqual({ ok: true, row });
    expect(judgeRecord(Buffer.from(JSON.stringify({ ...row, receive_count: '1' })))).toMatchObject({ ok: false, errorCode: 'Iceberg.SchemaMismatch' });
  });
});
