import { expectScenarioHolds } from '../../test/expect-scenario';
import { dynamodbDown, s3Down } from './scenarios/state-outage';

describe('chaos: state services down', () => {
  it('6. keeps dead letters in the DLQ while DynamoDB is down, then archives each once', async () => {
    const row = await expectScenarioHolds(dynamodbDown, 300);
    expect(row.archived).toBe(9);
  });

  it('7. keeps dead letters in the DLQ while S3 is down, then archives each once', async () => {
    const row = await expectScenarioHolds(s3Down, 300);
    expect(row.archived).toBe(9);
  });
});
