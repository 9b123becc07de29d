import { randomUUID } from 'node:crypto';
import type { LambdaRuntime } from '../lambda';
import type { ScheduleSpec } from '../plan/topology';

/** `rate(1 minute)`, `rate(5 minutes)`: seconds (EventBridge "Schedule expressions for rules"); cron is refused. */
export function rateSeconds(expression: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!m) throw new Error(`schedule expression ${JSON.stringify(expression)}: the local stack runs rate() rules only`);
  const unit = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 }[m[2] as 'minute'];
  return Number(m[1]) * unit;
}

function scheduledEvent(region: string, accountId: string, ruleName: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${accountId}:rule/${ruleName}`],
    detail: {},
  };
}

/**
 * Runs the plan's scheduled rules against their function targets, one run at a time per rule. Every rate is
 * compressed to `everySeconds` locally (a minute is too long for a laptop run); the stop function waits for runs.
 */
export function startSchedules(
  runtime: LambdaRuntime,
  schedules: readonly ScheduleSpec[],
  o: {
    region: string;
    accountId: string;
    everySeconds: number;
    log: (line: string) => void;
    /** Throws when the rule may not invoke its target. */ authorize?: (ruleArn: string, targetArn: string) => void;
  },
): () => Promise<void> {
  const runs = schedules.map((s) => {
    rateSeconds(s.expression);
    return { s, running: undefined as Promise<unknown> | undefined };
  });
  const timer = setInterval(() => {
    for (const r of runs) {
      if (r.running) continue;
      const target = r.s.targetArn;
      r.running = Promise.resolve()
        .then(() => o.authorize?.(`arn:aws:events:${o.region}:${o.accountId}:rule/${r.s.rule}`, target))
        .then(() => runtime.invoke(target, scheduledEvent(o.region, o.accountId, r.s.rule)))
        .then((res) => {
          if (!res.ok) o.log(`schedule ${r.s.rule}: ${res.errorType}: ${res.errorMessage}`);
        })
        .catch((err) => o.log(`schedule ${r.s.rule}: ${String(err)}`))
        .finally(() => (r.running = undefined));
    }
  }, o.everySeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await Promise.all(runs.map((r) => r.running));
  };
}
