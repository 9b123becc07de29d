import { handlerEnv } from '@lean-ops/contracts';
import { contextWithBudget, sqsEvent, sqsRecord } from '../../test/sqs-event';
import { envValues, topicConfig } from '../../test/topics';
import { recordAt, type BatchState, type ProcessorDeps } from './batch-state';
import { processorConfig } from './config';
import { processBatch, type BatchPhases } from './process-batch';
import assert from 'node:assert/strict';

const orders = topicConfig('orders');
const deps = { config: processorConfig(handlerEnv('sqs-processor', envValues([orders]))) } as ProcessorDeps;
const rec = (id: string, receiveCount = 1) => sqsRecord({ body: `{"message_id":"${id}"}`, queueName: orders.queueName, receiveCount, messageId: `sqs-${id}` });

/** Phases that record their order and settle records by a simple rule: ids starting with `bad` are drops. */
function standIns(opts: { careful?: (b: BatchState) => number[]; refuse?: string[] } = {}) {
  const log: string[] = [];
  const phases: BatchPhases = {
    countReceived: async (b) => void log.push(`count ${b.records.length}`),
    runCareful: async (b, prepare, settleEarly) => {
      log.push('careful');
      const keep = opts.careful?.(b) ?? b.records.map((_, i) => i);
      await settleEarly([]);
      const [first, ...rest] = keep;
      if (first !== undefined) prepare(first);
      return rest;
    },
    prepareOne: (b, i) => phases.prepare(b, [i]),
    prepare: (b, indices) => {
      log.push(`prepare ${indices.join(',')}`);
      for (const i of indices) {
        const id = b.records[i]?.messageId;
        assert(id !== undefined);
        if (id.startsWith('sqs-bad')) b.drops.push({ index: i, topic: 'orders', messageId: id, reason: 'MALFORMED_JSON', detail: '' });
        else b.deliverables.push({ index: i } as BatchState['deliverables'][number]);
      }
    },
    quarantine: async (b, jobs) => {
      log.push(`quarantine ${jobs.map((j) => j.index).join(',')}`);
      for (const j of jobs) b.outcomes[j.index] = { status: 'dropped', reason: j.reason };
    },
    deliver: async (b) => {
      log.push(`deliver ${b.deliverables.map((d) => d.index).join(',')}`);
      const refused = b.deliverables.filter((d) => opts.refuse?.includes(recordAt(b, d.index).messageId));
      for (const d of b.deliverables) if (!refused.includes(d)) b.outcomes[d.index] = { status: 'delivered' };
      return refused.map((d) => ({ index: d.index, topic: 'orders', messageId: 'x', reason: 'FIREHOSE_REJECTED', detail: '' }));
    },
    deleteNow: async (_b, _url, recs) => void log.push(`delete ${recs.length}`),
    finish: async (b) => {
      log.push('finish');
      return { batchItemFailures: b.records.filter((_, i) => b.outcomes[i] === undefined).map((r) => ({ itemIdentifier: r.messageId })) };
    },
  };
  return { log, phases };
}

describe('processBatch orchestration', () => {
  it('a first receive never takes the careful path: count, prepare all, quarantine drops beside delivery, finish', async () => {
    const { log, phases } = standIns();
    const res = await processBatch(sqsEvent([rec('a'), rec('bad-1'), rec('b')]), contextWithBudget(30_000), deps, phases);
    expect(log).toEqual(['count 3', 'prepare 0,1,2', 'quarantine 1', 'deliver 0,2', 'quarantine ', 'finish']);
    expect(res.batchItemFailures).toEqual([]);
  });

  it('records Firehose refuses for good are quarantined after delivery', async () => {
    const { log, phases } = standIns({ refuse: ['sqs-b'] });
    await processBatch(sqsEvent([rec('a'), rec('b')]), contextWithBudget(30_000), deps, phases);
    expect(log.slice(-3)).toEqual(['deliver 0,1', 'quarantine 1', 'finish']);
  });

  it('a batch holding a record seen before goes through the careful path, then prepares only what it left', async () => {
    const { log, phases } = standIns({ careful: () => [2, 0] });
    await processBatch(sqsEvent([rec('a', 2), rec('b'), rec('c')]), contextWithBudget(30_000), deps, phases);
    // Careful prepares its own record (2) and settles nothing early; the normal path gets index 0 only.
    expect(log).toEqual(['count 3', 'careful', 'prepare ', 'quarantine ', 'deliver ', 'quarantine ', 'prepare 2', 'prepare 0', 'quarantine ', 'deliver 2,0', 'quarantine ', 'finish']);
  });

  it('records settled early are delivered apart from the rest and deleted at once', async () => {
    const { log, phases } = standIns();
    phases.runCareful = async (_b, _prepare, settleEarly) => {
      await settleEarly([0]);
      return [1];
    };
    await processBatch(sqsEvent([rec('last', 3), rec('next')]), contextWithBudget(30_000), deps, phases);
    expect(log).toEqual(['count 2', 'prepare 0', 'quarantine ', 'deliver 0', 'quarantine ', 'delete 1', 'prepare 1', 'quarantine ', 'deliver 1', 'quarantine ', 'finish']);
  });
});
