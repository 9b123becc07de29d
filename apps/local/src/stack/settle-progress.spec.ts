import { settleProgress } from './settle-progress';

describe('settleProgress', () => {
  const plan = {
    topicQueues: [
      { name: 'p-orders', attributes: {} },
      { name: 'p-payments', attributes: {} },
    ],
    dlq: { name: 'p-dlq', attributes: {} },
  };
  const queues = {
    'p-orders': { visible: 3, inFlight: 2, delayed: 1 },
    'p-payments': { visible: 0, inFlight: 4, delayed: 0 },
    'p-dlq': { visible: 5, inFlight: 0, delayed: 0 },
  };

  it('counts whatever is in no queue and no Firehose buffer as settled', () => {
    const p = settleProgress({ queues, firehose: { bufferedRows: 7, failingRows: 1, successfulRows: 70 } }, plan, 100, 1234);
    expect(p).toEqual({ sent: 100, settled: 100 - 10 - 5 - 8, queued: 10, dlq: 5, buffered: 8, committedRows: 70, elapsedMs: 1234 });
  });

  it('never reports negative progress', () => {
    expect(settleProgress({ queues, firehose: { bufferedRows: 0, failingRows: 0, successfulRows: 0 } }, plan, 3, 0).settled).toBe(0);
  });
});
