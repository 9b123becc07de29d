import type { AlarmState } from './alarm-rules';

/** The JSON CloudWatch publishes to an alarm's SNS topic on a state change (the SNS `Message`). */
export interface AlarmNotification {
  AlarmName: string;
  AlarmDescription: string | null;
  AWSAccountId: string;
  AlarmConfigurationUpdatedTimestamp: string;
  NewStateValue: AlarmState;
  NewStateReason: string;
  StateChangeTime: string;
  /** CloudWatch writes the region's long name here, e.g. `US East (N. Virginia)`. */
  Region: string;
  AlarmArn: string;
  OldStateValue: AlarmState;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  Trigger: Record<string, unknown>;
}

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-north-1': 'EU (Stockholm)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
};

export const regionLongName = (region: string) => REGION_NAMES[region] ?? region;

/** `2026-11-26T08:15:42.123+0000`, CloudWatch's timestamp spelling in notifications. */
export const cwTimestamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export const alarmArn = (region: string, accountId: string, name: string) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;

/** SNS subject CloudWatch uses: `ALARM: "name" in US East (N. Virginia)`. */
export const alarmSubject = (n: AlarmNotification) => `${n.NewStateValue}: "${n.AlarmName}" in ${n.Region}`.slice(0, 100);
