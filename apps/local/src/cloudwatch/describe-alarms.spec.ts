import type { AlarmSpec } from '../plan/build-alarms';
import { DescribeAlarmsError, describeAlarms, type AlarmStatus } from './describe-alarms';

const spec = (name: string): AlarmSpec => ({
  address: name,
  name,
  description: null,
  comparison: 'GreaterThanThreshold',
  threshold: 1,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  periodSeconds: 60,
  treatMissingData: 'notBreaching',
  metric: { namespace: 'N', metricName: 'M', dimensions: {}, stat: 'Sum', periodSeconds: 60 },
  alarmActions: [],
  okActions: [],
});
const specs = ['b', 'a', 'c'].map(spec);
const status = (name: string): AlarmStatus => ({ state: name === 'c' ? 'ALARM' : 'OK', reason: 'r', updatedAt: 0 });
const arn = (name: string) => `arn:${name}`;

describe('describeAlarms', () => {
  it('lists alarms by name, filtered by names, prefix, state and type', () => {
    expect(describeAlarms(specs, status, arn, {}).MetricAlarms.map((a) => a.AlarmName)).toEqual(['a', 'b', 'c']);
    expect(describeAlarms(specs, status, arn, { AlarmNames: ['c', 'a'] }).MetricAlarms.map((a) => a.AlarmName)).toEqual(['a', 'c']);
    expect(describeAlarms(specs, status, arn, { StateValue: 'ALARM' }).MetricAlarms.map((a) => a.AlarmName)).toEqual(['c']);
    expect(describeAlarms(specs, status, arn, { AlarmTypes: ['CompositeAlarm'] }).MetricAlarms).toEqual([]);
  });

  it.each([
    [{ MaxRecords: 0 }, 'InvalidParameterValue'],
    [{ MaxRecords: 101 }, 'InvalidParameterValue'],
    [{ StateValue: 'BROKEN' }, 'InvalidParameterValue'],
    [{ NextToken: '-1' }, 'InvalidNextToken'],
    [{ AlarmNames: ['a'], AlarmNamePrefix: 'a' }, 'InvalidParameterCombination'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => describeAlarms(specs, status, arn, input)).toThrow(expect.objectContaining({ code }) as DescribeAlarmsError);
  });
});
