/**
 * Divide and conquer over a call that the service may refuse as a whole because of one record in it
 * (Firehose InvalidArgumentException). A refused batch is split in halves until the culprit stands alone;
 * only then is it judged, so one poison record never fails the others. SQS event sources have no
 * BisectBatchOnFunctionError, so the processor does this itself.
 */
export async function bisect<T, O>(
  records: readonly T[],
  send: (batch: readonly T[]) => Promise<O[]>,
  isWholeCallRejection: (err: unknown) => boolean,
  judgeSingle: (record: T, err: unknown) => O,
): Promise<O[]> {
  if (records.length === 0) return [];
  try {
    return await send(records);
  } catch (err) {
    if (!isWholeCallRejection(err)) throw err;
    const [only] = records;
    if (records.length === 1 && only !== undefined) return [judgeSingle(only, err)];
    const mid = Math.ceil(records.length / 2);
    const left = await bisect(records.slice(0, mid), send, isWholeCallRejection, judgeSingle);
    const right = await bisect(records.slice(mid), send, isWholeCallRejection, judgeSingle);
    return [...left, ...right];
  }
}
