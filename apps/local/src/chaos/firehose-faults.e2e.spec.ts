import * as path from 'node:path';
import { loadEnvironment } from '@lean-ops/config';
import { REPO_ROOT } from '../stack/repo-root';
import { expectScenarioHolds } from '../../test/expect-scenario';
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
    // One poison record per full batch of the local environment's batch size.
    const row = await expectScenarioHolds(poisonRecord, 200);
    const batch = (await loadEnvironment(path.join(REPO_ROOT, 'environments/local.tfvars'))).topics.find((t) => t.name === 'orders')!.batchSize;
    expect(row.sent).toBe(Math.max(batch, 200));
    expect(row.quarantined).toBe(row.sent / batch);
    expect(row.raw).toBe(row.sent - row.quarantined);
  });
});
