import { expectScenarioHolds } from './expect-scenario';
import { firehosePartialFailures } from './scenarios/firehose-partial-failures';
import { firehoseThrottling } from './scenarios/firehose-throttling';
import { poisonRecord } from './scenarios/poison-record';

describe('chaos: Firehose faults', () => {
  it('1. re-sends the 20% of records that fail per record, and all of them land', async () => {
    const row = await expectScenarioHolds(firehosePartialFailures, 300);
    expect(row.raw).toBe(300);
  });

  it('2. survives several seconds of throttling without a loss', async () => {
    const row = await expectScenarioHolds(firehoseThrottling, 300);
    expect(row.raw + row.archived).toBe(300);
  });

  it('3. quarantines exactly the poison record of a full batch (bisection) and delivers the rest', async () => {
    const row = await expectScenarioHolds(poisonRecord, 200);
    expect(row.quarantined).toBe(2);
    expect(row.raw).toBe(198);
  });
});
