import { LIMITS } from '@lean-ops/contracts';

export interface ApiError {
  type: 'ValidationException' | 'InvalidArgumentException';
  message: string;
}

/**
 * PutRecordBatch request limits, answered as Firehose does: the API model's constraints (1..500 records,
 * 1,024,000 bytes of data per record) fail request validation with ValidationException; the 4 MiB request
 * limit is checked by the service and fails with InvalidArgumentException. Limits cannot be raised.
 */
export function checkPutRecordBatch(recordBytes: number[]): ApiError | undefined {
  if (recordBytes.length < 1) {
    return { type: 'ValidationException', message: "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1" };
  }
  if (recordBytes.length > LIMITS.firehoseMaxRecordsPerBatch) {
    return {
      type: 'ValidationException',
      message: `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.firehoseMaxRecordsPerBatch}`,
    };
  }
  const record = checkRecordSizes(recordBytes, 'records.%d.member.data');
  if (record) return record;
  const total = recordBytes.reduce((a, b) => a + b, 0);
  if (total > LIMITS.firehoseMaxBatchBytes) {
    return { type: 'InvalidArgumentException', message: `Records size exceeds ${LIMITS.firehoseMaxBatchBytes / 1024 / 1024} MB limit (${total} bytes)` };
  }
  return undefined;
}

/** PutRecord: one record of at most 1,000 KiB. */
export function checkPutRecord(bytes: number): ApiError | undefined {
  return checkRecordSizes([bytes], 'record.data');
}

function checkRecordSizes(recordBytes: number[], path: string): ApiError | undefined {
  for (const [i, bytes] of recordBytes.entries()) {
    const where = path.replace('%d', String(i + 1));
    if (bytes > LIMITS.firehoseMaxRecordBytes) {
      return {
        type: 'ValidationException',
        message: `1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.firehoseMaxRecordBytes}`,
      };
    }
  }
  return undefined;
}
