import { LIMITS } from '@lean-ops/contracts';
import { jsonBody, jsonOk, type AwsRequest, type AwsResponse, type AwsService } from '../aws-service';
import type { MessageAttributes } from './message-md5';
import { messageSize } from './message-md5';
import { queueNameFromUrl, queueUrl } from './queue-attributes';
import type { MoveTask, QueueStore, ReceivedMessage, SendInput } from './queue-store';
import { SqsError, invalidParameter } from './sqs-errors';

type Json = Record<string, unknown>;
type Action = (input: Json, req: AwsRequest) => Promise<unknown> | unknown;

const TARGET_PREFIX = 'AmazonSQS.';
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn', 'AWSTraceHeader'];

const str = (input: Json, key: string, required = true): string => {
  const v = input[key];
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined || v === null || v === '') {
    if (required) throw new SqsError('MissingParameter', `The request must contain the parameter ${key}.`);
    return '';
  }
  throw invalidParameter(`Value for parameter ${key} is invalid. Reason: must be a string.`);
};

const optInt = (input: Json, key: string, min: number, max: number): number | undefined => {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(`Value ${String(v)} for parameter ${key} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  }
  return n;
};

const entries = (input: Json): Json[] => {
  const list = input.Entries;
  if (!Array.isArray(list) || list.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (list.length > LIMITS.sqsMaxBatchEntries) {
    throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${LIMITS.sqsMaxBatchEntries}. You have sent ${list.length}.`);
  }
  const ids = new Set<string>();
  for (const e of list as Json[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (ids.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return list as Json[];
};

const failed = (id: string, e: unknown) => {
  if (e instanceof SqsError) return { Id: id, SenderFault: true, Code: e.code, Message: e.message };
  throw e;
};

/** 'All', '.*', exact names and `prefix.*` patterns select message attributes, as ReceiveMessage documents. */
function selectMessageAttributes(attrs: MessageAttributes | undefined, names: string[]): MessageAttributes | undefined {
  if (!attrs || names.length === 0) return undefined;
  const out: MessageAttributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (names.some((n) => n === 'All' || n === '.*' || n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))))) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The SQS JSON protocol (awsJson1_0, `X-Amz-Target: AmazonSQS.<Action>`) over a QueueStore. */
export class SqsService implements AwsService {
  readonly name = 'sqs';
  private readonly actions: Record<string, Action>;

  constructor(
    readonly store: QueueStore,
    private readonly opts: { endpoint?: () => string | undefined } = {},
  ) {
    this.actions = {
      CreateQueue: (i, r) => {
        const name = str(i, 'QueueName');
        this.store.createQueue(name, (i.Attributes as Record<string, string>) ?? {}, (i.tags as Record<string, string>) ?? {});
        return { QueueUrl: this.url(r, name) };
      },
      GetQueueUrl: (i, r) => {
        const name = str(i, 'QueueName');
        if (!this.store.hasQueue(name)) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
        return { QueueUrl: this.url(r, name) };
      },
      ListQueues: (i, r) => {
        const prefix = str(i, 'QueueNamePrefix', false);
        const max = optInt(i, 'MaxResults', 1, 1000);
        const names = this.store.queueNames(prefix);
        const start = typeof i.NextToken === 'string' ? Number(Buffer.from(i.NextToken, 'base64').toString()) || 0 : 0;
        // Without MaxResults AWS returns up to 1,000 URLs and no token.
        const page = names.slice(start, start + (max ?? 1000));
        const next = max !== undefined && start + max < names.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
        return { QueueUrls: page.map((n) => this.url(r, n)), ...(next ? { NextToken: next } : {}) };
      },
      DeleteQueue: (i) => {
        this.store.deleteQueue(this.queueName(i));
        return {};
      },
      GetQueueAttributes: (i) => {
        const all = this.store.getAttributes(this.queueName(i));
        const names = (i.AttributeNames as string[] | undefined) ?? [];
        if (names.length === 0) return {};
        const out: Record<string, string> = {};
        for (const n of names) {
          if (n === 'All') Object.assign(out, all);
          else if (all[n] !== undefined) out[n] = all[n];
          else if (!['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds'].includes(n)) {
            throw new SqsError('InvalidAttributeName', `Unknown Attribute ${n}.`);
          }
        }
        return { Attributes: out };
      },
      SetQueueAttributes: (i) => {
        this.store.setAttributes(this.queueName(i), (i.Attributes as Record<string, string>) ?? {});
        return {};
      },
      ListQueueTags: (i) => ({ Tags: this.store.tags(this.queueName(i)) }),
      TagQueue: (i) => {
        this.store.setTags(this.queueName(i), (i.Tags as Record<string, string>) ?? {});
        return {};
      },
      UntagQueue: (i) => {
        this.store.setTags(this.queueName(i), {}, (i.TagKeys as string[]) ?? []);
        return {};
      },
      ListDeadLetterSourceQueues: (i, r) => ({ queueUrls: this.store.deadLetterSourceQueues(this.queueName(i)).map((n) => this.url(r, n)) }),
      PurgeQueue: (i) => {
        this.store.purge(this.queueName(i));
        return {};
      },
      SendMessage: (i) => {
        const res = this.store.send(this.queueName(i), this.sendInput(i));
        return { MessageId: res.messageId, MD5OfMessageBody: res.md5OfMessageBody, ...(res.md5OfMessageAttributes ? { MD5OfMessageAttributes: res.md5OfMessageAttributes } : {}) };
      },
      SendMessageBatch: (i) => {
        const name = this.queueName(i);
        const list = entries(i);
        const inputs = list.map((e) => this.sendInput(e));
        const total = inputs.reduce((n, e) => n + messageSize(e.body, e.messageAttributes), 0);
        // The whole batch shares the single-message ceiling (1 MiB).
        if (total > this.store.maximumMessageSize(name)) {
          throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${this.store.maximumMessageSize(name)} bytes. You have sent ${total} bytes.`);
        }
        const results = this.store.sendBatch(name, inputs);
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
        const name = this.queueName(i);
        const max = optInt(i, 'MaxNumberOfMessages', 1, LIMITS.sqsMaxReceiveMessages) ?? 1;
        const vt = optInt(i, 'VisibilityTimeout', 0, LIMITS.sqsMaxVisibilityTimeoutSeconds);
        const wait = optInt(i, 'WaitTimeSeconds', 0, 20) ?? this.store.receiveWaitSeconds(name);
        const msgs = await this.store.receive(name, { max, visibilityTimeout: vt, waitMs: wait * 1000 });
        const wanted = [...((i.AttributeNames as string[]) ?? []), ...((i.MessageSystemAttributeNames as string[]) ?? [])];
        const msgAttrNames = (i.MessageAttributeNames as string[]) ?? [];
        if (msgs.length === 0) return {};
        return { Messages: msgs.map((m) => this.messageView(m, wanted, msgAttrNames)) };
      },
      DeleteMessage: (i) => {
        this.store.deleteMessage(this.queueName(i), str(i, 'ReceiptHandle'));
        return {};
      },
      DeleteMessageBatch: (i) => {
        const name = this.queueName(i);
        const list = entries(i);
        const results = this.store.deleteMessages(
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
        this.store.changeVisibility(this.queueName(i), str(i, 'ReceiptHandle'), vt);
        return {};
      },
      ChangeMessageVisibilityBatch: (i) => {
        const name = this.queueName(i);
        const Successful: Json[] = [];
        const Failed: Json[] = [];
        for (const e of entries(i)) {
          try {
            const vt = optInt(e, 'VisibilityTimeout', 0, LIMITS.sqsMaxVisibilityTimeoutSeconds) ?? 0;
            this.store.changeVisibility(name, str(e, 'ReceiptHandle'), vt);
            Successful.push({ Id: e.Id });
          } catch (err) {
            Failed.push(failed(e.Id as string, err));
          }
        }
        return { Successful, Failed };
      },
      StartMessageMoveTask: (i) => {
        const max = optInt(i, 'MaxNumberOfMessagesPerSecond', 1, 500);
        void max; // the move runs at once; the rate limit only shapes AWS's background task
        const task = this.store.startMessageMoveTask(str(i, 'SourceArn'), str(i, 'DestinationArn', false) || undefined);
        return { TaskHandle: task.taskHandle };
      },
      ListMessageMoveTasks: (i) => {
        const max = optInt(i, 'MaxResults', 1, 10) ?? 1;
        const arn = str(i, 'SourceArn');
        if (!this.store.nameOfArn(arn)) throw new SqsError('ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
        return { Results: this.store.listMessageMoveTasks(arn).slice(0, max).map(moveTaskView) };
      },
      CancelMessageMoveTask: () => {
        throw new SqsError('ResourceNotFoundException', 'The task is not running: local message move tasks complete when they start.');
      },
    };
  }

  matches(req: AwsRequest): boolean {
    return req.target?.startsWith(TARGET_PREFIX) ?? false;
  }

  /** Names of the actions served (the Query protocol serves the same ones). */
  actionNames(): string[] {
    return Object.keys(this.actions);
  }

  /** Runs one action on JSON-shaped input; SqsError for the caller's faults, whichever protocol carried them. */
  async invoke(name: string, input: Json, req: AwsRequest): Promise<Json> {
    const action = this.actions[name];
    if (!action) throw new SqsError('UnknownOperationException', `${name} is not a supported operation.`);
    return ((await action(input, req)) ?? {}) as Json;
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    const name = req.target!.slice(TARGET_PREFIX.length);
    const action = this.actions[name];
    if (!action) return { ...new SqsError('UnknownOperationException', `${req.target} is not a supported operation.`).toResponse(), unsupported: req.target };
    // Parsed once: the authorization check in front of this service read the same body.
    const input = jsonBody(req);
    if (!input) return new SqsError('InvalidParameterValue', 'The request body is not valid JSON.').toResponse();
    try {
      return jsonOk(await action(input, req));
    } catch (e) {
      if (e instanceof SqsError) return e.toResponse();
      throw e;
    }
  }

  private url(req: AwsRequest, name: string): string {
    const endpoint = this.opts.endpoint?.() ?? `http://${req.headers.host ?? '127.0.0.1'}`;
    return queueUrl(endpoint, name);
  }

  private queueName(input: Json): string {
    return queueNameFromUrl(str(input, 'QueueUrl'));
  }

  private sendInput(i: Json): SendInput {
    const body = i.MessageBody;
    if (typeof body !== 'string') throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const delay = optInt(i, 'DelaySeconds', 0, 900);
    const sys = i.MessageSystemAttributes as Record<string, { StringValue?: string }> | undefined;
    return {
      body,
      delaySeconds: delay,
      messageAttributes: i.MessageAttributes as MessageAttributes | undefined,
      systemAttributes: sys?.AWSTraceHeader?.StringValue ? { AWSTraceHeader: sys.AWSTraceHeader.StringValue } : undefined,
    };
  }

  private messageView(m: ReceivedMessage, wanted: string[], msgAttrNames: string[]): Json {
    const all = wanted.includes('All');
    const attrs: Record<string, string> = {};
    for (const n of SYSTEM_ATTRIBUTES) if ((all || wanted.includes(n)) && m.attributes[n] !== undefined) attrs[n] = m.attributes[n];
    const selected = selectMessageAttributes(m.messageAttributes, msgAttrNames);
    return {
      MessageId: m.messageId,
      ReceiptHandle: m.receiptHandle,
      MD5OfBody: m.md5OfBody,
      Body: m.body,
      ...(Object.keys(attrs).length > 0 ? { Attributes: attrs } : {}),
      ...(selected ? { MessageAttributes: selected, MD5OfMessageAttributes: m.md5OfMessageAttributes } : {}),
    };
  }
}

function moveTaskView(t: MoveTask): Json {
  return {
    ...(t.status === 'RUNNING' ? { TaskHandle: t.taskHandle } : {}),
    Status: t.status,
    SourceArn: t.sourceArn,
    ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
    ApproximateNumberOfMessagesMoved: t.approximateNumberOfMessagesMoved,
    ApproximateNumberOfMessagesToMove: t.approximateNumberOfMessagesToMove,
    StartedTimestamp: t.startedTimestamp,
    ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
  };
}
