import type { FaultRegistry } from '../faults';
import { QueueStore } from '../sqs';
import type { Cleanup } from './cleanup';
import type { SentLedger } from './sent-ledger';

/** SQS with its journal, the plan's queues created; every message a topic queue accepts goes into the sent ledger. */
export function openQueues(o: {
  region: string;
  dataDir: string;
  faults: FaultRegistry;
  ledger: SentLedger;
  topicQueues: ReadonlyArray<{ name: string; topic?: string }>;
  queues: ReadonlyArray<{ name: string; attributes: Record<string, string> }>;
  cleanup: Cleanup;
}): QueueStore {
  const topicOfQueue = new Map(o.topicQueues.map((q) => [q.name, q.topic]));
  const store = new QueueStore({
    region: o.region,
    dataDir: o.dataDir,
    faults: o.faults,
    onSend: (queue, id, body) => {
      const topic = topicOfQueue.get(queue);
      if (topic) o.ledger.record(topic, id, body);
    },
  });
  o.cleanup.push(() => store.close());
  // Queues first, then their policies: a redrive policy names a DLQ that must exist.
  for (const q of o.queues) {
    const { RedrivePolicy: _r, RedriveAllowPolicy: _a, ...plain } = q.attributes;
    if (store.hasQueue(q.name)) store.setAttributes(q.name, plain);
    else store.createQueue(q.name, plain);
  }
  for (const q of o.queues) {
    const policies = Object.fromEntries(Object.entries(q.attributes).filter(([k]) => k === 'RedrivePolicy' || k === 'RedriveAllowPolicy'));
    if (Object.keys(policies).length > 0) store.setAttributes(q.name, policies);
  }
  return store;
}
