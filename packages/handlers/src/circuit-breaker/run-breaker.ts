import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { METRICS, type TopicRuntimeConfig } from '@lean-ops/contracts';
import { evaluateProbe, nextBreakerState, type BreakerEvent, type BreakerTransition } from '../core/breaker-state';
import { errorMessage } from '../core/classify-error';
import { emitMetrics } from '../lib/emf';
import { logger } from '../lib/logger';
import { parseBreakerEvent } from './breaker-event';
import { readWindowsSince } from '../lib/checkpoint-windows';
import { readBreaker, writeBreaker } from './breaker-store';
import type { BreakerConfig } from './config';
import { applyBreakerAction } from './event-source-mappings';

export interface BreakerDeps {
  config: BreakerConfig;
  dynamodb: DynamoDBClient;
  lambda: LambdaClient;
  sns: SNSClient;
  now?: () => Date;
}

export interface BreakerResult {
  topic: string;
  transition?: { from: string; to: string; reason: string };
  /** Another invocation changed the state first; this one did nothing. */
  lostRace?: boolean;
}

async function step(deps: BreakerDeps, topic: TopicRuntimeConfig, trigger: 'ALARM' | 'OK' | 'TICK', now: number): Promise<BreakerResult> {
  const { config } = deps;
  const stored = await readBreaker(deps.dynamodb, config.locksTable, topic.topic);
  let event: BreakerEvent;
  if (trigger !== 'TICK') event = { type: trigger, now };
  else if (stored.snapshot.state === 'HALF_OPEN') {
    // The alarm may stay in ALARM or OK without notifying again, so the probe judges from the counts.
    const windows = await readWindowsSince(deps.dynamodb, config.checkpointsTable, topic.topic, new Date(stored.snapshot.changedAt));
    const probe = evaluateProbe(windows, stored.snapshot.changedAt, now, {
      thresholdPercent: config.errorRateThresholdPercent,
      minErrors: config.errorRateMinErrors,
      probePeriodMs: config.cooldownMs,
    });
    event = { type: 'TICK', now, probe };
  } else event = { type: 'TICK', now };

  const transition = nextBreakerState(stored.snapshot, event, { cooldownMs: config.cooldownMs });
  if (!transition) return { topic: topic.topic };
  const claim = await writeBreaker(deps.dynamodb, config.locksTable, topic.topic, transition.next, stored.version, transition.reason);
  if (!claim.written) {
    logger.info('BREAKER_RACE_LOST', { topic: topic.topic, from: transition.from, to: transition.to });
    return { topic: topic.topic, lostRace: true };
  }
  try {
    await applyBreakerAction(deps.lambda, config.processorFunctionName, topic, transition.action);
  } catch (err) {
    // Put the state back so a retry of this invocation (or the next tick) tries the transition again.
    await writeBreaker(deps.dynamodb, config.locksTable, topic.topic, stored.snapshot, claim.version, `rollback: ${errorMessage(err)}`).catch((rollbackErr: unknown) =>
      logger.error('BREAKER_ROLLBACK_FAILED', { topic: topic.topic, error: errorMessage(rollbackErr) }),
    );
    throw err;
  }
  await announce(deps, topic.topic, transition, now);
  return { topic: topic.topic, transition: { from: transition.from, to: transition.to, reason: transition.reason } };
}

async function announce(deps: BreakerDeps, topic: string, t: BreakerTransition, now: number): Promise<void> {
  const detail = { topic, from: t.from, to: t.to, reason: t.reason, at: new Date(now).toISOString() };
  logger.warn('BREAKER_TRANSITION', detail);
  emitMetrics(topic, { [METRICS.breakerTransition]: 1 }, now);
  try {
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.config.alertTopicArn,
        Subject: `Circuit breaker ${t.to} for topic ${topic}`.slice(0, 100),
        Message: JSON.stringify({ type: 'BreakerTransition', ...detail }),
      }),
    );
  } catch (err) {
    // The transition happened and is logged; a lost notification must not undo it.
    logger.error('BREAKER_ALERT_FAILED', { topic, error: errorMessage(err) });
  }
}

/** Alarm notifications act on their topic only; a tick visits every topic but writes only where state changes. */
export async function runBreaker(event: unknown, deps: BreakerDeps): Promise<BreakerResult[]> {
  const now = (deps.now?.() ?? new Date()).getTime();
  const results: BreakerResult[] = [];
  const errors: unknown[] = [];
  for (const trigger of parseBreakerEvent(event)) {
    const targets = trigger.type === 'TICK' ? deps.config.topics.topics : [deps.config.topics.forAlarm(trigger.alarmName)].filter((t): t is TopicRuntimeConfig => t !== undefined);
    if (trigger.type !== 'TICK' && targets.length === 0) logger.debug('ALARM_IGNORED', { alarm: trigger.alarmName });
    for (const topic of targets) {
      try {
        results.push(await step(deps, topic, trigger.type, now));
      } catch (err) {
        logger.error('BREAKER_STEP_FAILED', { topic: topic.topic, trigger: trigger.type, error: errorMessage(err) });
        errors.push(err);
      }
    }
  }
  // Other topics were still handled; failing now lets the async invoke retry the failed step.
  if (errors.length > 0) throw errors[0];
  return results;
}
