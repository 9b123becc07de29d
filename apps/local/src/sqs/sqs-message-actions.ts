import { LIMITS } from '@lean-ops/contracts';
import { messageSize } from './message-md5';
import type { QueueStore } from './queue-store';
import { SqsError } from './sqs-errors';
import { entries, failed, optInt, queueNameOf, sendInput, str, type Action, type Json } from './sqs-input';
import { messageView, moveTaskView } from './sqs-message-view';

/** Message actions: send, receive, delete and change visibility, one at a time and in batches. */
export function messageActions(store: QueueStore): Record<string, Action> {
  return {
    SendMessage: (i) => {
      const res = store.send(queueNameOf(i), sendInput(i));
      return { MessageId: res.messageId, MD5OfMessageBody: res.md5OfMessageBody, ...(res.md5OfMessageAttributes ? { MD5OfMessageAttributes: res.md5OfMessageAttributes } : {}) };
    },
    SendMessageBatch: (i) => {
      const name = queueNameOf(i);
      const list = entries(i);
      const inputs = list.map((e) => sendInput(e));
      const total = inputs.reduce((n, e) => n + messageSize(e.body, e.messageAttributes), 0);
      // The whole batch shares the single-message ceiling (1 MiB).
      if (total > store.maximumMessageSize(name)) {
        throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${store.maximumMessageSize(name)} bytes. You have sent ${total} bytes.`);
      }
      const results = store.sendBatch(name, inputs);
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      results.forEach((res, k) => {
        const id = list[k]?.Id as string;
        if (res instanceof SqsError) Failed.push(failed(id, res));
        else
          Successful.push({
            Id: id,
            MessageId: res.messageId,
            MD5OfMessageBody: res.md5OfMessageBody,
            ...(res.md5OfMessageAttributes ? { MD5OfMessageAttributes: res.md5OfMessageAttributes } : {}),
          });
      });
      return { Successful, Failed };
    },
    ReceiveMessage: async (i) => {
      const name = queueNameOf(i);
      const max = optInt(i, 'MaxNumberOfMessages', 1, LIMITS.sqsMaxReceiveMessages) ?? 1;
      const vt = optInt(i, 'VisibilityTimeout', 0, LIMITS.sqsMaxVisibilityTimeoutSeconds);
      const wait = optInt(i, 'WaitTimeSeconds', 0, 20) ?? store.receiveWaitSeconds(name);
      const msgs = await store.receive(name, { max, visibilityTimeout: vt, waitMs: wait * 1000 });
      const wanted = [...((i.AttributeNames as string[]) ?? []), ...((i.MessageSystemAttributeNames as string[]) ?? [])];
      const msgAttrNames = (i.MessageAttributeNames as string[]) ?? [];
      if (msgs.length === 0) return {};
      return { Messages: msgs.map((m) => messageView(m, wanted, msgAttrNames)) };
    },
    DeleteMessage: (i) => {
      store.deleteMessage(queueNameOf(i), str(i, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch: (i) => {
      const name = queueNameOf(i);
      const list = entries(i);
      const results = store.deleteMessages(
        name,
        list.map((e) => (typeof e.ReceiptHandle === 'string' ? e.ReceiptHandle : '')),
      );
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      results.forEach((err, k) => (err ? Failed.push(failed(list[k]?.Id as string, err)) : Successful.push({ Id: list[k]?.Id })));
      return { Successful, Failed };
    },
    ChangeMessageVisibility: (i) => {
      const vt = optInt(i, 'VisibilityTimeout', 0, LIMITS.sqsMaxVisibilityTimeoutSeconds);
      if (vt === undefined) throw new SqsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
      store.changeVisibility(queueNameOf(i), str(i, 'ReceiptHandle'), vt);
      return {};
    },
    ChangeMessageVisibilityBatch: (i) => {
      const name = queueNameOf(i);
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      for (const e of entries(i)) {
        try {
          const vt = optInt(e, 'VisibilityTimeout', 0, LIMITS.sqsMaxVisibilityTimeoutSeconds) ?? 0;
          store.changeVisibility(name, str(e, 'ReceiptHandle'), vt);
          Successful.push({ Id: e.Id });
        } catch (err) {
          Failed.push(failed(e.Id as string, err));
        }
      }
      return { Successful, Failed };
    },
  };
}

/** Message move tasks (redrive from a DLQ): they complete as they start here. */
export function moveTaskActions(store: QueueStore): Record<string, Action> {
  return {
    StartMessageMoveTask: (i) => {
      const max = optInt(i, 'MaxNumberOfMessagesPerSecond', 1, 500);
      void max; // the move runs at once; the rate limit only shapes AWS's background task
      const task = store.startMessageMoveTask(str(i, 'SourceArn'), str(i, 'DestinationArn', false) || undefined);
      return { TaskHandle: task.taskHandle };
    },
    ListMessageMoveTasks: (i) => {
      const max = optInt(i, 'MaxResults', 1, 10) ?? 1;
      const arn = str(i, 'SourceArn');
      if (!store.nameOfArn(arn)) throw new SqsError('ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
      return { Results: store.listMessageMoveTasks(arn).slice(0, max).map(moveTaskView) };
    },
    CancelMessageMoveTask: () => {
      throw new SqsError('ResourceNotFoundException', 'The task is not running: local message move tasks complete when they start.');
    },
  };
}
