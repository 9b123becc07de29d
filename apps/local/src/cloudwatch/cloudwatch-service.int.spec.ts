import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AwsJson1_0Protocol, AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import type { AlarmSpec } from '../plan/build-alarms';
import { startServer, type RunningServer } from '../server';
import { CloudWatchService } from './cloudwatch-service';
import type { AlarmStatus } from './describe-alarms';

const base: Omit<AlarmSpec, 'name'> = {
  address: 'a',
  description: null,
  comparison: 'GreaterThanThreshold',
  threshold: 50,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  periodSeconds: 60,
  treatMissingData: 'notBreaching',
  alarmActions: ['arn:aws:sns:us-east-1:000000000000:alerts'],
  okActions: [],
};
const errorRate: AlarmSpec = {
  ...base,
  name: 'lo-orders-error-rate',
  queries: [
    { id: 'failed', returnData: false, metric: { namespace: 'LeanOps', metricName: 'FirstAttemptFailed', dimensions: { Topic: 'orders' }, stat: 'Sum', periodSeconds: 60 } },
    { id: 'rate', returnData: true, expression: '100 * failed / 2', label: 'error rate' },
  ],
};
const dlqDepth: AlarmSpec = {
  ...base,
  name: 'lo-dlq-depth',
  threshold: 0,
  metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'lo-dlq' }, stat: 'Maximum', periodSeconds: 60 },
};
const changedAt = Date.parse('2026-12-01T08:00:00Z');
const status = (name: string): AlarmStatus =>
  name === errorRate.name ? { state: 'ALARM', reason: 'Threshold Crossed', updatedAt: changedAt } : { state: 'OK', reason: 'Threshold not crossed', updatedAt: changedAt };

// One current client speaks each protocol CloudWatch serves: its default JSON 1.0, the query protocol, RPC v2 CBOR.
const PROTOCOLS = [
  ['JSON 1.0', AwsJson1_0Protocol],
  ['query', AwsQueryProtocol],
  ['RPC v2 CBOR', AwsSmithyRpcV2CborProtocol],
] as const;

describe('CloudWatch DescribeAlarms', () => {
  let server: RunningServer;
  const unsupported: string[] = [];
  beforeAll(async () => {
    const service = new CloudWatchService({ region: 'us-east-1', accountId: '000000000000', alarms: [errorRate, dlqDepth] });
    service.attach(status);
    server = await startServer({ services: [service], onUnsupported: (s, op) => unsupported.push(`${s} ${op}`) });
  });
  afterAll(() => server.close());

  describe.each(PROTOCOLS)('over %s', (_, protocol) => {
    let cw: CloudWatchClient;
    beforeAll(() => (cw = new CloudWatchClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1, protocol })));
    afterAll(() => cw.destroy());

    it('lists the alarms in a state, with their metric or metric math', async () => {
      const out = await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
      expect(out.CompositeAlarms ?? []).toEqual([]);
      expect(out.MetricAlarms).toHaveLength(1);
      const a = out.MetricAlarms![0]!;
      expect(a).toMatchObject({
        AlarmName: errorRate.name,
        AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${errorRate.name}`,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed',
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(a.StateUpdatedTimestamp?.getTime()).toBe(changedAt);
      expect(a.AlarmActions).toEqual(base.alarmActions);
      expect(a.Metrics?.map((m) => m.Id)).toEqual(['failed', 'rate']);
      expect(a.Metrics?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([{ Name: 'Topic', Value: 'orders' }]);
      expect(a.Metrics?.[1]).toMatchObject({ Expression: '100 * failed / 2', ReturnData: true, Label: 'error rate' });
    });

    it('pages by MaxRecords and NextToken, and filters by name prefix', async () => {
      const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
      expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual([dlqDepth.name]);
      const second = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: first.NextToken }));
      expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual([errorRate.name]);
      expect(second.NextToken).toBeUndefined();
      const dlq = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'lo-dlq' }));
      expect(dlq.MetricAlarms?.[0]).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Statistic: 'Maximum', Period: 60, StateValue: 'OK' });
    });

    it("refuses what CloudWatch refuses, in the protocol's error shape", async () => {
      await expect(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['x'], AlarmNamePrefix: 'y' }))).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
      await expect(cw.send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
      await expect(cw.send(new PutMetricDataCommand({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 1 }] }))).rejects.toMatchObject({ message: expect.stringContaining('PutMetricData') });
      expect(unsupported).toContain('cloudwatch PutMetricData');
    });
  });
});
