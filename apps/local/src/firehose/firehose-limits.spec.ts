import { LIMITS } from '@lean-ops/contracts';
import { checkPutRecord, checkPutRecordBatch } from './firehose-limits';

describe('PutRecordBatch limits', () => {
  it('accepts 500 records of 1,000 KiB... within 4 MiB', () => {
    expect(checkPutRecordBatch(Array(500).fill(100))).toBeUndefined();
    expect(checkPutRecordBatch([LIMITS.firehoseMaxRecordBytes, 10])).toBeUndefined();
  });
  it('refuses 501 records and an empty batch with ValidationException', () => {
    expect(checkPutRecordBatch(Array(501).fill(1))).toMatchObject({ type: 'ValidationException', message: expect.stringContaining('less than or equal to 500') });
    expect(checkPutRecordBatch([])).toMatchObject({ type: 'ValidationException' });
  });
  it('refuses a record over 1,000 KiB with ValidationException naming the record', () => {
    expect(checkPutRecordBatch([1, LIMITS.firehoseMaxRecordBytes + 1])).toMatchObject({ type: 'ValidationException', message: expect.stringContaining("'records.2.member.data'") });
    expect(checkPutRecord(LIMITS.firehoseMaxRecordBytes + 1)).toMatchObject({ type: 'ValidationException' });
    expect(checkPutRecord(LIMITS.firehoseMaxRecordBytes)).toBeUndefined();
  });
  it('refuses more than 4 MiB per call with InvalidArgumentException', () => {
    const n = Math.floor(LIMITS.firehoseMaxBatchBytes / LIMITS.firehoseMaxRecordBytes) + 1;
    expect(checkPutRecordBatch(Array(n).fill(LIMITS.firehoseMaxRecordBytes))).toMatchObject({ type: 'InvalidArgumentException' });
    expect(checkPutRecordBatch([LIMITS.firehoseMaxBatchBytes / 8, LIMITS.firehoseMaxBatchBytes / 8])).toBeUndefined();
  });
});
