import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import type { AlarmSpec } from '../plan/build-alarms';
import { alarmArn } from './alarm-notification';
import { cloudWatchCall, cloudWatchError, cloudWatchOk } from './cloudwatch-wire';
import { DescribeAlarmsError, UNCHECKED_REASON, describeAlarms, type AlarmStatus, type DescribeAlarmsInput } from './describe-alarms';

/** CloudWatch's read side for the stack's alarms: DescribeAlarms in the three protocols clients speak (cloudwatch-wire.ts). */
export class CloudWatchService implements AwsService {
  readonly name = 'cloudwatch';
  private status: (name: string) => AlarmStatus = () => ({ state: 'INSUFFICIENT_DATA', reason: UNCHECKED_REASON, updatedAt: this.createdAt });
  private readonly createdAt = Date.now();

  constructor(private readonly o: { region: string; accountId: string; alarms: readonly AlarmSpec[] }) {}

  /** The evaluator's states, once the alarms run (before that every alarm is INSUFFICIENT_DATA, as a new alarm is). */
  attach(status: (name: string) => AlarmStatus): void {
    this.status = status;
  }

  matches(req: AwsRequest): boolean {
    return cloudWatchCall(req) !== undefined;
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const call = cloudWatchCall(req)!;
    if (call.operation !== 'DescribeAlarms') {
      const code = call.protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException';
      return { ...cloudWatchError(call.protocol, 400, code, `The action ${call.operation} is not valid for this endpoint.`), unsupported: call.operation };
    }
    if (!call.input) return cloudWatchError(call.protocol, 400, 'SerializationException', 'The request body could not be read.');
    try {
      const out = describeAlarms(
        this.o.alarms,
        (n) => this.status(n),
        (n) => alarmArn(this.o.region, this.o.accountId, n),
        call.input as DescribeAlarmsInput,
      );
      return cloudWatchOk(call.protocol, call.operation, out);
    } catch (err) {
      if (err instanceof DescribeAlarmsError) return cloudWatchError(call.protocol, 400, err.code, err.message, err.shape);
      throw err;
    }
  }
}
