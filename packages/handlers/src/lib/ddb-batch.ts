import { BatchGetItemCommand, BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mapLimit, sleep as realSleep } from './map-limit';

type Item = Record<string, AttributeValue>;

/** BatchGetItem reads at most 100 items per call, BatchWriteItem writes at most 25 (DynamoDB API Reference). */
export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;
const CONCURRENCY = 8;
const FIRST_BACKOFF_MS = 20;

export interface BatchOptions {
  /** Epoch ms after which unprocessed keys/items are given up (reported, never dropped silently). */
  deadline: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Per key: the item (undefined when absent), or why it could not be read. */
export type GetResult = { item: Item | undefined } | { error: 'unreadable' | 'no-time'; detail: string };

const chunk = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, k) => xs.slice(k * n, k * n + n));
const keyOf = (key: Item, names: readonly string[]) => names.map((n) => JSON.stringify(key[n])).join('\n');

/**
 * Strongly consistent reads of `keys` (a marker written just before a crash must be seen). "If DynamoDB returns any
 * unprocessed items, you should retry the batch operation on those items ... use an exponential backoff algorithm"
 * (DynamoDB API Reference, BatchGetItem): retried until `deadline`, then reported as `no-time`.
 */
export async function batchGet(ddb: DynamoDBClient, table: string, keyNames: readonly string[], keys: readonly Item[], o: BatchOptions): Promise<GetResult[]> {
  const found = new Map<string, GetResult>();
  await mapLimit(chunk(keys, BATCH_GET_MAX_KEYS), CONCURRENCY, async (part) => {
    let pending: Item[] = part;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0 && !(await backoff(attempt, o))) break;
      try {
        const resp = await ddb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of resp.Responses?.[table] ?? []) found.set(keyOf(item, keyNames), { item });
        const left = new Set((resp.UnprocessedKeys?.[table]?.Keys ?? []).map((k) => keyOf(k, keyNames)));
        for (const k of pending) if (!left.has(keyOf(k, keyNames)) && !found.has(keyOf(k, keyNames))) found.set(keyOf(k, keyNames), { item: undefined });
        pending = pending.filter((k) => left.has(keyOf(k, keyNames)));
      } catch (err) {
        for (const k of pending) found.set(keyOf(k, keyNames), { error: 'unreadable', detail: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
    for (const k of pending) found.set(keyOf(k, keyNames), { error: 'no-time', detail: 'unprocessed keys left at the deadline' });
  });
  return keys.map((k) => found.get(keyOf(k, keyNames)) ?? { error: 'no-time', detail: 'not read' });
}

/**
 * PutRequests for `items`, with the unprocessed ones retried as BatchWriteItem asks. Returns the items that were
 * not written (error or deadline): callers treat them as never marked.
 */
export async function batchPut(ddb: DynamoDBClient, table: string, items: readonly Item[], o: BatchOptions): Promise<Set<Item>> {
  const failed = new Set<Item>();
  await mapLimit(chunk(items, BATCH_WRITE_MAX_ITEMS), CONCURRENCY, async (part) => {
    let pending: Item[] = part;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0 && !(await backoff(attempt, o))) break;
      try {
        const resp = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
        const left = (resp.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest?.Item).filter((i): i is Item => i !== undefined);
        // Unprocessed items come back as copies: map them to ours through their serialized form.
        const wanted = new Set(left.map((i) => JSON.stringify(i)));
        pending = pending.filter((i) => wanted.has(JSON.stringify(i)));
      } catch {
        break;
      }
    }
    pending.forEach((i) => failed.add(i));
  });
  return failed;
}

/** Waits 20, 40, 80 ... ms (full jitter), false when that would pass the deadline. */
async function backoff(attempt: number, o: BatchOptions): Promise<boolean> {
  const wait = Math.random() * FIRST_BACKOFF_MS * 2 ** Math.min(attempt - 1, 6);
  if (Date.now() + wait >= o.deadline) return false;
  await (o.sleep ?? realSleep)(wait);
  return true;
}
