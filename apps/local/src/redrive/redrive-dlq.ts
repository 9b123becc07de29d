import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { LIMITS, messageIdentity } from '@lean-ops/contracts';
import { inRange } from './args';
import { claimRedrive } from './error-status';
import type { RedriveSummary, ReplayOptions } from './replay-archive';
import type { RedriveTargets } from './targets';

/** Held messages stay invisible while the DLQ is walked, so a walk never sees the same message twice. */
const HOLD_SECONDS = 120;
/** Two empty receives in a row: the DLQ has nothing more visible (SQS sampling can miss a message once). */
const EMPTY_RECEIVES_TO_STOP = 2;

/** A DLQ message belongs to the redrive when it came from the topic's queue and was first sent inside the range. */
export function selectForTopic(m: Pick<Message, 'Attributes'>, sourceArn: string, since?: Date, until?: Date): boolean {
  const a = m.Attributes ?? {};
  if (a.DeadLetterQueueSourceArn !== sourceArn) return false;
  const sent = Number(a.SentTimestamp);
  return inRange(Number.isFinite(sent) ? sent : Date.now(), since, until);
}

/**
 * One topic's dead letters back to its queue: receive from the DLQ, keep those whose DeadLetterQueueSourceArn is
 * the topic queue, send each body unchanged, then delete it from the DLQ (send first: a crash in between
 * duplicates, never loses). StartMessageMoveTask cannot filter by source, so it is kept for `--all`.
 */
export async function redriveDlqTopic(t: RedriveTargets, o: ReplayOptions): Promise<RedriveSummary> {
  const log = o.log ?? (() => undefined);
  const summary: RedriveSummary = { source: 'dlq', topic: o.topic, dryRun: o.dryRun, considered: 0, replayed: 0, skipped: 0, invalid: 0, failed: 0, messageIds: [] };
  const queueUrl = await t.queueUrl(o.topic);
  const sourceArn = await t.queueArn(queueUrl);
  const held: Message[] = [];
  let empty = 0;
  try {
    while (empty < EMPTY_RECEIVES_TO_STOP) {
      const r = await t.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: t.dlqUrl,
          MaxNumberOfMessages: LIMITS.sqsMaxReceiveMessages,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = r.Messages ?? [];
      empty = messages.length === 0 ? empty + 1 : 0;
      for (const m of messages) {
        if (!selectForTopic(m, sourceArn, o.since, o.until) || o.dryRun) {
          held.push(m);
          if (o.dryRun && selectForTopic(m, sourceArn, o.since, o.until)) {
            summary.considered++;
            summary.replayed++;
            summary.messageIds.push(messageIdentity(m.Body ?? '', m.MessageId ?? ''));
            log(`WOULD MOVE ${m.MessageId} -> ${queueUrl}`);
          }
          continue;
        }
        summary.considered++;
        const messageId = messageIdentity(m.Body ?? '', m.MessageId ?? '');
        try {
          await t.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: m.Body ?? '', ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}) }));
          await t.sqs.send(new DeleteMessageCommand({ QueueUrl: t.dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
          // An item exists only if the DLQ processor archived this message earlier; mark it so the archive is not replayed too.
          await claimRedrive(t.dynamodb, t.errorsTable, { topic: o.topic, messageId }, o.now?.() ?? new Date(), true);
          summary.replayed++;
          summary.messageIds.push(messageId);
          log(`MOVED ${m.MessageId} (${messageId}) -> ${queueUrl}`);
        } catch (err) {
          summary.failed++;
          held.push(m);
          log(`FAILED ${m.MessageId}: ${(err as Error).message}`);
        }
      }
    }
  } finally {
    await release(t, held);
  }
  return summary;
}

/** Makes held messages visible again at once (visibility 0), for the DLQ processor or a later run. */
async function release(t: RedriveTargets, held: Message[]): Promise<void> {
  for (let i = 0; i < held.length; i += LIMITS.sqsMaxBatchEntries) {
    const entries = held.slice(i, i + LIMITS.sqsMaxBatchEntries).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    await t.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: t.dlqUrl, Entries: entries })).catch(() => undefined);
  }
}

/** Every DLQ message back to the queue it came from, by SQS itself (StartMessageMoveTask without a destination). */
export async function redriveAll(t: RedriveTargets, o: { dryRun: boolean; log?: (line: string) => void }): Promise<RedriveSummary> {
  const dlqArn = await t.queueArn(t.dlqUrl);
  const attrs = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: t.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  // A move task takes the visible messages; those the DLQ processor holds right now wait for the next task.
  const visible = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  const held = Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  const summary: RedriveSummary = { source: 'dlq-move-task', topic: '*', dryRun: o.dryRun, considered: visible + held, replayed: 0, skipped: 0, invalid: 0, failed: 0, messageIds: [] };
  if (o.dryRun) {
    summary.replayed = visible;
    o.log?.(`WOULD START a message move task on ${dlqArn}: about ${visible} visible message(s) back to their source queues (${held} in flight now)`);
    return summary;
  }
  const r = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  summary.replayed = visible;
  if (r.TaskHandle) summary.taskHandle = r.TaskHandle;
  o.log?.(`STARTED message move task ${r.TaskHandle ?? ''} on ${dlqArn} (about ${visible} message(s); ${held} in flight stay)`);
  return summary;
}
