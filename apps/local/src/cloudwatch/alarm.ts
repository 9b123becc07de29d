import type { AlarmState, Evaluation } from './alarm-rules';
import { UNCHECKED_REASON, type AlarmStatus } from './describe-alarms';
import { alarmArn, alarmSubject, cwTimestamp, regionLongName, type AlarmNotification } from './alarm-notification';

/** Delivers a notification to an SNS topic (the SNS stand-in's publish). */
export type AlarmPublisher = (topicArn: string, subject: string, message: string) => unknown;

/** One alarm the evaluator runs: how to get its period values and how it is described in notifications. */
export interface AlarmDefinition {
  name: string;
  description: string | null;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  periodSeconds: number;
  trigger: Record<string, unknown>;
  /** SNS topics notified on ALARM and on OK; default: the evaluator's action topic. */
  alarmActions?: string[];
  okActions?: string[];
  /** One evaluation: the state and CloudWatch's reason text. */
  evaluate(now: number): Promise<{ ev: Evaluation; reason: string }>;
}

export interface AlarmEvaluatorOptions {
  region: string;
  accountId?: string;
  /** SNS topic ARN of the alarm, OK and (none locally) insufficient-data actions. */
  actionTopicArn: string;
  publish: AlarmPublisher;
  alarms: AlarmDefinition[];
  now?: () => number;
  /** Runs before each evaluation round (e.g. sampling the service metrics the alarms read). */
  beforeEvaluate?: (now: number) => void;
}

export interface AlarmHistoryItem {
  alarmName: string;
  oldState: AlarmState;
  newState: AlarmState;
  reason: string;
  time: number;
}

/**
 * Runs alarms like CloudWatch: each starts INSUFFICIENT_DATA, is evaluated every period, and on a state change
 * publishes the alarm notification JSON to the action topic (alarm and OK actions, as ObservabilityModule wires them).
 */
export class AlarmEvaluator {
  private readonly states = new Map<string, AlarmState>();
  private readonly history: AlarmHistoryItem[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly now: () => number;
  private readonly accountId: string;
  private readonly configuredAt: number;

  constructor(private readonly o: AlarmEvaluatorOptions) {
    this.now = o.now ?? Date.now;
    this.accountId = o.accountId ?? '000000000000';
    this.configuredAt = this.now();
    for (const a of o.alarms) this.states.set(a.name, 'INSUFFICIENT_DATA');
  }

  state(alarmName: string): AlarmState | undefined {
    return this.states.get(alarmName);
  }

  allStates(): Record<string, AlarmState> {
    return Object.fromEntries(this.states);
  }

  /** State, reason and time of the last change, as DescribeAlarms reports them (creation time until the first change). */
  status(alarmName: string): AlarmStatus {
    const last = [...this.history].reverse().find((h) => h.alarmName === alarmName);
    return last
      ? { state: last.newState, reason: last.reason, updatedAt: last.time }
      : { state: this.states.get(alarmName) ?? 'INSUFFICIENT_DATA', reason: UNCHECKED_REASON, updatedAt: this.configuredAt };
  }

  transitions(): AlarmHistoryItem[] {
    return [...this.history];
  }

  /** Evaluates every alarm once; returns the notifications published. */
  async evaluateAll(): Promise<AlarmNotification[]> {
    const published: AlarmNotification[] = [];
    this.o.beforeEvaluate?.(this.now());
    for (const alarm of this.o.alarms) {
      const now = this.now();
      const { ev, reason } = await alarm.evaluate(now);
      const old = this.states.get(alarm.name) ?? 'INSUFFICIENT_DATA';
      if (ev.state === old) continue;
      this.states.set(alarm.name, ev.state);
      this.history.push({ alarmName: alarm.name, oldState: old, newState: ev.state, reason, time: now });
      const n = this.notification(alarm, old, ev.state, reason, now);
      published.push(n);
      for (const topic of ev.state === 'ALARM' ? n.AlarmActions : n.OKActions) await this.o.publish(topic, alarmSubject(n), JSON.stringify(n));
    }
    return published;
  }

  /** Evaluates every `intervalMs` (one evaluation at a time). */
  start(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.evaluateAll()
        .then(() => undefined)
        .catch((err) => {
          process.stderr.write(`alarm evaluation failed: ${String(err)}\n`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private notification(alarm: AlarmDefinition, oldState: AlarmState, newState: AlarmState, reason: string, now: number): AlarmNotification {
    return {
      AlarmName: alarm.name,
      AlarmDescription: alarm.description,
      AWSAccountId: this.accountId,
      AlarmConfigurationUpdatedTimestamp: cwTimestamp(this.configuredAt),
      NewStateValue: newState,
      NewStateReason: reason,
      StateChangeTime: cwTimestamp(now),
      Region: regionLongName(this.o.region),
      AlarmArn: alarmArn(this.o.region, this.accountId, alarm.name),
      OldStateValue: oldState,
      OKActions: alarm.okActions ?? [this.o.actionTopicArn],
      AlarmActions: alarm.alarmActions ?? [this.o.actionTopicArn],
      InsufficientDataActions: [],
      Trigger: alarm.trigger,
    };
  }
}
