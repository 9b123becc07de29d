import { randomUUID } from 'node:crypto';
import { LIMITS } from '@lean-ops/contracts';
import type { FaultRegistry } from '../faults/fault-registry';
import type { QueueStore, ReceivedMessage } from '../sqs/queue-store';
import { readBatchResponse } from './batch-response';
import type { InvokeOptions, LambdaRuntime } from './lambda-runtime';
import { functionNameOf } from './lambda-runtime';
import { toSqsEventRecord } from './sqs-event';

export interface EventSourceMappingConfig {
  /** Generated when absent. */
  uuid?: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** ScalingConfig.MaximumConcurrency (2..1000); absent: the function's own concurrency. */
  maximumConcurrency?: number;
  functionResponseTypes?: Array<'ReportBatchItemFailures'>;
  enabled: boolean;
}

export interface EventSourceMappingUpdate {
  enabled?: boolean;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  /** null removes the cap. */
  maximumConcurrency?: number | null;
  functionResponseTypes?: Array<'ReportBatchItemFailures'>;
}

export interface EventSourceMappingStats {
  inFlight: number;
  batches: number;
  records: number;
  /** Batches that failed as a whole (function error, timeout, crash, invalid partial response). */
  failedBatches: number;
  /** Records reported in batchItemFailures. */
  itemFailures: number;
  deleted: number;
}

export interface EventSourceMappingView {
  uuid: string;
  functionName: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  maximumConcurrency?: number;
  functionResponseTypes: Array<'ReportBatchItemFailures'>;
  state: 'Enabled' | 'Disabled';
  lastModified: Date;
  stats: EventSourceMappingStats;
}

interface Mapping {
  cfg: Required<Omit<EventSourceMappingConfig, 'maximumConcurrency'>> & { maximumConcurrency?: number };
  lastModified: Date;
  stats: EventSourceMappingStats;
  abort: AbortController;
  loop?: Promise<void>;
  inFlight: Set<Promise<void>>;
  slotFreed?: () => void;
}

/** Long-poll slice: short enough that disabling a mapping stops its poller promptly. */
const POLL_WAIT_MS = 1000;
/**
 * Lambda's synchronous invocation payload is at most 6 MB, so an ESM batch stops short of it; bodies are
 * counted with room left for the record envelope and JSON escaping.
 */
const MAX_BATCH_BODY_CHARS = 5 * 1024 * 1024;

export class EsmConfigError extends Error {}

/**
 * Lambda event source mappings for SQS, run in process: a poller per mapping gathers up to batchSize
 * messages within the batching window, invokes the function with the SQS event, and deletes what succeeded.
 */
export class EventSourceMappings {
  private readonly mappings = new Map<string, Mapping>();
  /** SQS message ids held by an invocation that crashed or timed out (the report attributes duplicates with it). */
  private readonly failedHolding = new Map<string, 'crash' | 'timeout'>();
  private closed = false;

  constructor(
    private readonly deps: {
      store: QueueStore;
      runtime: LambdaRuntime;
      faults?: FaultRegistry;
      /** Functions the per-message Lambda faults apply to (default: all); a fault asks for a crash of the processor. */
      faultFunctions?: ReadonlySet<string>;
      region: string;
      onError?: (err: unknown) => void;
    },
  ) {}

  create(config: EventSourceMappingConfig): EventSourceMappingView {
    const cfg = {
      uuid: config.uuid ?? randomUUID(),
      functionName: functionNameOf(config.functionName),
      eventSourceArn: config.eventSourceArn,
      batchSize: config.batchSize,
      maximumBatchingWindowInSeconds: config.maximumBatchingWindowInSeconds,
      maximumConcurrency: config.maximumConcurrency,
      functionResponseTypes: config.functionResponseTypes ?? [],
      enabled: config.enabled,
    };
    validate(cfg);
    if (!this.deps.store.nameOfArn(cfg.eventSourceArn)) throw new EsmConfigError(`Queue not found: ${cfg.eventSourceArn}`);
    const m: Mapping = { cfg, lastModified: new Date(), stats: emptyStats(), abort: new AbortController(), inFlight: new Set() };
    this.mappings.set(cfg.uuid, m);
    if (cfg.enabled) this.start(m);
    return this.view(m);
  }

  list(filter: { functionName?: string; eventSourceArn?: string } = {}): EventSourceMappingView[] {
    const fn = filter.functionName ? functionNameOf(filter.functionName) : undefined;
    return [...this.mappings.values()].filter((m) => (!fn || m.cfg.functionName === fn) && (!filter.eventSourceArn || m.cfg.eventSourceArn === filter.eventSourceArn)).map((m) => this.view(m));
  }

  get(uuid: string): EventSourceMappingView | undefined {
    const m = this.mappings.get(uuid);
    return m && this.view(m);
  }

  /** Stops the mapping's poller, waits for its invocations in flight, then forgets it; false if there is none. */
  async delete(uuid: string): Promise<boolean> {
    const m = this.mappings.get(uuid);
    if (!m) return false;
    m.cfg = { ...m.cfg, enabled: false };
    m.abort.abort();
    m.slotFreed?.();
    await m.loop;
    await Promise.all(m.inFlight);
    this.mappings.delete(uuid);
    return true;
  }

  /** Disabling stops polling at once (invocations in flight finish); enabling starts it again. */
  update(uuid: string, patch: EventSourceMappingUpdate): EventSourceMappingView | undefined {
    const m = this.mappings.get(uuid);
    if (!m) return undefined;
    const next = { ...m.cfg };
    if (patch.batchSize !== undefined) next.batchSize = patch.batchSize;
    if (patch.maximumBatchingWindowInSeconds !== undefined) next.maximumBatchingWindowInSeconds = patch.maximumBatchingWindowInSeconds;
    if (patch.maximumConcurrency !== undefined) next.maximumConcurrency = patch.maximumConcurrency ?? undefined;
    if (patch.functionResponseTypes !== undefined) next.functionResponseTypes = patch.functionResponseTypes;
    if (patch.enabled !== undefined) next.enabled = patch.enabled;
    validate(next);
    const wasEnabled = m.cfg.enabled;
    m.cfg = next;
    m.lastModified = new Date();
    if (wasEnabled && !next.enabled) m.abort.abort();
    if (!wasEnabled && next.enabled) this.start(m);
    m.slotFreed?.();
    return this.view(m);
  }

  stats(): Record<string, EventSourceMappingStats> {
    const out: Record<string, EventSourceMappingStats> = {};
    for (const [uuid, m] of this.mappings) out[uuid] = { ...m.stats, inFlight: m.inFlight.size };
    return out;
  }

  /** Every SQS message id held by an invocation that ended without a response, and how it ended (timeout wins). */
  failedHolders(): ReadonlyMap<string, 'crash' | 'timeout'> {
    return this.failedHolding;
  }

  private noteFailedHolders(records: ReadonlyArray<{ messageId: string }>, kind: 'Crashed' | 'TimedOut'): void {
    for (const r of records) if (this.failedHolding.get(r.messageId) !== 'timeout') this.failedHolding.set(r.messageId, kind === 'TimedOut' ? 'timeout' : 'crash');
  }

  /** No invocation of any mapping in flight. */
  idle(): boolean {
    for (const m of this.mappings.values()) if (m.inFlight.size > 0) return false;
    return true;
  }

  /** Stops every poller and waits for the invocations in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const m of this.mappings.values()) m.abort.abort();
    await Promise.all(
      [...this.mappings.values()].map(async (m) => {
        await m.loop;
        await Promise.all(m.inFlight);
      }),
    );
  }

  private view(m: Mapping): EventSourceMappingView {
    return {
      uuid: m.cfg.uuid,
      functionName: m.cfg.functionName,
      functionArn: this.deps.runtime.functionArn(m.cfg.functionName),
      eventSourceArn: m.cfg.eventSourceArn,
      batchSize: m.cfg.batchSize,
      maximumBatchingWindowInSeconds: m.cfg.maximumBatchingWindowInSeconds,
      maximumConcurrency: m.cfg.maximumConcurrency,
      functionResponseTypes: [...m.cfg.functionResponseTypes],
      state: m.cfg.enabled ? 'Enabled' : 'Disabled',
      lastModified: m.lastModified,
      stats: { ...m.stats, inFlight: m.inFlight.size },
    };
  }

  private start(m: Mapping): void {
    if (this.closed) return;
    m.abort = new AbortController();
    const signal = m.abort.signal;
    const previous = m.loop ?? Promise.resolve();
    // a re-enable waits for the old poller to notice its abort, so one mapping never has two pollers
    m.loop = previous.then(() => this.poll(m, signal)).catch((err) => this.deps.onError?.(err));
  }

  private concurrencyOf(m: Mapping): number {
    return m.cfg.maximumConcurrency ?? this.deps.runtime.definition(m.cfg.functionName)?.concurrency ?? 10;
  }

  private async poll(m: Mapping, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      while (m.inFlight.size >= this.concurrencyOf(m) && !signal.aborted) {
        await new Promise<void>((resolve) => (m.slotFreed = resolve));
      }
      if (signal.aborted) break;
      const queue = this.deps.store.nameOfArn(m.cfg.eventSourceArn);
      if (!queue) {
        await sleep(POLL_WAIT_MS, signal);
        continue;
      }
      const batch = await this.gather(m, queue, signal);
      if (batch.length === 0) continue;
      const p: Promise<void> = this.dispatch(m, queue, batch)
        .catch((err) => this.deps.onError?.(err))
        .finally(() => {
          m.inFlight.delete(p);
          m.slotFreed?.();
        });
      m.inFlight.add(p);
    }
  }

  /** Up to batchSize messages: the first long poll, then more until the batch is full or the window closes. */
  private async gather(m: Mapping, queue: string, signal: AbortSignal): Promise<ReceivedMessage[]> {
    const { store } = this.deps;
    const size = m.cfg.batchSize;
    let batch: ReceivedMessage[];
    try {
      batch = await store.receive(queue, { max: size, waitMs: POLL_WAIT_MS, signal, maxBytes: MAX_BATCH_BODY_CHARS });
      if (batch.length === 0) return batch;
      let chars = batch.reduce((n, msg) => n + msg.body.length, 0);
      const windowEnd = Date.now() + m.cfg.maximumBatchingWindowInSeconds * 1000;
      while (batch.length < size && !signal.aborted && chars < MAX_BATCH_BODY_CHARS) {
        const left = windowEnd - Date.now();
        if (left <= 0) break;
        // a message larger than what is left waits for the next batch, untouched (its receive count stays)
        const more = await store.receive(queue, { max: size - batch.length, waitMs: left, signal, maxBytes: MAX_BATCH_BODY_CHARS - chars, strictMaxBytes: true });
        if (more.length === 0) break;
        chars += more.reduce((n, msg) => n + msg.body.length, 0);
        batch = batch.concat(more);
      }
    } catch {
      // the queue was deleted while polling
      return [];
    }
    return batch;
  }

  private async dispatch(m: Mapping, queue: string, batch: ReceivedMessage[]): Promise<void> {
    const { store, runtime, faults, region } = this.deps;
    const records = batch.map((msg) => toSqsEventRecord(msg, m.cfg.eventSourceArn, region));
    m.stats.batches++;
    m.stats.records += batch.length;
    const faulty = faults && (!this.deps.faultFunctions || this.deps.faultFunctions.has(m.cfg.functionName));
    const result = await runtime.invoke(m.cfg.functionName, { Records: records }, faulty ? invocationFaults(faults, records) : {});
    if (!result.ok) {
      // Nothing is deleted: every message comes back after its visibility timeout.
      m.stats.failedBatches++;
      if (result.kind === 'Crashed' || result.kind === 'TimedOut') this.noteFailedHolders(records, result.kind);
      return;
    }
    let keep = new Set<string>();
    if (m.cfg.functionResponseTypes.includes('ReportBatchItemFailures')) {
      const verdict = readBatchResponse(result.payload, new Set(records.map((r) => r.messageId)));
      if (!verdict.ok) {
        m.stats.failedBatches++;
        return;
      }
      keep = verdict.failed;
      m.stats.itemFailures += keep.size;
    }
    const done = batch.filter((msg) => !keep.has(msg.messageId));
    try {
      store.deleteMessages(
        queue,
        done.map((msg) => msg.receiptHandle),
      );
      m.stats.deleted += done.length;
    } catch {
      // the queue is gone; nothing left to delete
    }
  }
}

/**
 * Per-invocation faults of the records it holds. Once-faults fire in the first invocation holding them, and every
 * such record held is used up by it (each crashed or hung its runtime once); `lambda_crash` fires every time the
 * handler processes the record.
 */
export function invocationFaults(faults: FaultRegistry, records: ReadonlyArray<{ messageId: string; body: string }>): InvokeOptions {
  const held = (fault: 'lambda_crash_once' | 'lambda_timeout_once') => records.filter((r) => faults.faultFor(r.messageId) === fault);
  // A crash ends the invocation before anything else could fire, so a hang waits for the next one.
  const crash = held('lambda_crash_once').filter((r) => faults.consumeOnce(r.messageId, 'lambda_crash_once')).length > 0;
  const hang = !crash && held('lambda_timeout_once').filter((r) => faults.consumeOnce(r.messageId, 'lambda_timeout_once')).length > 0;
  const crashOnParse = records.filter((r) => faults.faultFor(r.messageId) === 'lambda_crash').map((r) => r.body);
  return { ...(crash ? { crash } : {}), ...(hang ? { hang } : {}), ...(crashOnParse.length ? { crashOnParse } : {}) };
}

function validate(cfg: Mapping['cfg']): void {
  if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1 || cfg.batchSize > LIMITS.esmMaxBatchSize) {
    throw new EsmConfigError(`BatchSize ${cfg.batchSize} must be between 1 and ${LIMITS.esmMaxBatchSize}.`);
  }
  const w = cfg.maximumBatchingWindowInSeconds;
  if (!Number.isInteger(w) || w < 0 || w > LIMITS.esmMaxBatchingWindowSeconds) {
    throw new EsmConfigError(`MaximumBatchingWindowInSeconds ${w} must be between 0 and ${LIMITS.esmMaxBatchingWindowSeconds}.`);
  }
  // AWS: a batch size over 10 requires a batching window of at least 1 second.
  if (cfg.batchSize > LIMITS.esmBatchSizeWithoutWindow && w < 1) {
    throw new EsmConfigError(`Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than ${LIMITS.esmBatchSizeWithoutWindow}`);
  }
  const c = cfg.maximumConcurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < LIMITS.esmMinMaximumConcurrency || c > LIMITS.esmMaxMaximumConcurrency)) {
    throw new EsmConfigError(`MaximumConcurrency ${c} must be between ${LIMITS.esmMinMaximumConcurrency} and ${LIMITS.esmMaxMaximumConcurrency}.`);
  }
}

const emptyStats = (): EventSourceMappingStats => ({ inFlight: 0, batches: 0, records: 0, failedBatches: 0, itemFailures: 0, deleted: 0 });

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
