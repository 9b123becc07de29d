import type { QueueCounts, QueueStore } from '../sqs/queue-store';
import type { EventSourceMappingStats, EventSourceMappings } from './esm';
import type { FunctionStats, LambdaRuntime } from './lambda-runtime';

export interface ComputeActivity {
  queues: Record<string, QueueCounts & { ageOfOldestMessageSeconds: number }>;
  mappings: Record<string, EventSourceMappingStats & { functionName: string; eventSourceArn: string; state: 'Enabled' | 'Disabled' }>;
  functions: Record<string, FunctionStats>;
  /** No message visible, in flight or delayed in any queue, no mapping invocation in flight, no invocation running. */
  idle: boolean;
}

/** What the report and the drain endpoint look at: queues, mappings and functions in one snapshot. */
export function computeActivity(store: QueueStore, esm: EventSourceMappings, runtime: LambdaRuntime): ComputeActivity {
  const queues: ComputeActivity['queues'] = {};
  for (const name of store.queueNames()) queues[name] = { ...store.counts(name), ageOfOldestMessageSeconds: store.approximateAgeOfOldestMessage(name) };
  const mappings: ComputeActivity['mappings'] = {};
  for (const m of esm.list()) mappings[m.uuid] = { ...m.stats, functionName: m.functionName, eventSourceArn: m.eventSourceArn, state: m.state };
  return { queues, mappings, functions: runtime.stats(), idle: store.idle() && esm.idle() && runtime.idle() };
}
