/**
 * How Lambda reads a function's partial batch response (ReportBatchItemFailures) for SQS:
 * null, `{}`, or a null/empty `batchItemFailures` is complete success; each failure must name a message
 * of the batch by a non-empty `itemIdentifier`, otherwise the whole batch counts as failed.
 */
export type BatchResponseVerdict = { ok: true; failed: Set<string> } | { ok: false; reason: string };

export function readBatchResponse(payload: unknown, messageIds: ReadonlySet<string>): BatchResponseVerdict {
  if (payload === null || payload === undefined) return { ok: true, failed: new Set() };
  if (typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'the response is not a JSON object' };
  const list = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === null || list === undefined) return { ok: true, failed: new Set() };
  if (!Array.isArray(list)) return { ok: false, reason: 'batchItemFailures is not a list' };
  const failed = new Set<string>();
  for (const item of list) {
    const id = item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { ok: false, reason: 'an itemIdentifier is missing, empty or not a string' };
    if (!messageIds.has(id)) return { ok: false, reason: `itemIdentifier ${id} is not a message of the batch` };
    failed.add(id);
  }
  return { ok: true, failed };
}
