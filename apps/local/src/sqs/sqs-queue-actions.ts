import type { AwsRequest } from '../aws-service';
import type { QueueStore } from './queue-store';
import { SqsError } from './sqs-errors';
import { optInt, queueNameOf, str, type Action } from './sqs-input';

/** Queue actions: create, find, list, delete, attributes, tags, dead-letter sources, purge. */
export function queueActions(store: QueueStore, url: (req: AwsRequest, name: string) => string): Record<string, Action> {
  return {
    CreateQueue: (i, r) => {
      const name = str(i, 'QueueName');
      store.createQueue(name, (i.Attributes as Record<string, string>) ?? {}, (i.tags as Record<string, string>) ?? {});
      return { QueueUrl: url(r, name) };
    },
    GetQueueUrl: (i, r) => {
      const name = str(i, 'QueueName');
      if (!store.hasQueue(name)) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: url(r, name) };
    },
    ListQueues: (i, r) => {
      const prefix = str(i, 'QueueNamePrefix', false);
      const max = optInt(i, 'MaxResults', 1, 1000);
      const names = store.queueNames(prefix);
      const start = typeof i.NextToken === 'string' ? Number(Buffer.from(i.NextToken, 'base64').toString()) || 0 : 0;
      // Without MaxResults AWS returns up to 1,000 URLs and no token.
      const page = names.slice(start, start + (max ?? 1000));
      const next = max !== undefined && start + max < names.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
      return { QueueUrls: page.map((n) => url(r, n)), ...(next ? { NextToken: next } : {}) };
    },
    DeleteQueue: (i) => {
      store.deleteQueue(queueNameOf(i));
      return {};
    },
    GetQueueAttributes: (i) => {
      const all = store.getAttributes(queueNameOf(i));
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
      store.setAttributes(queueNameOf(i), (i.Attributes as Record<string, string>) ?? {});
      return {};
    },
    ListQueueTags: (i) => ({ Tags: store.tags(queueNameOf(i)) }),
    TagQueue: (i) => {
      store.setTags(queueNameOf(i), (i.Tags as Record<string, string>) ?? {});
      return {};
    },
    UntagQueue: (i) => {
      store.setTags(queueNameOf(i), {}, (i.TagKeys as string[]) ?? []);
      return {};
    },
    ListDeadLetterSourceQueues: (i, r) => ({ queueUrls: store.deadLetterSourceQueues(queueNameOf(i)).map((n) => url(r, n)) }),
    PurgeQueue: (i) => {
      store.purge(queueNameOf(i));
      return {};
    },
  };
}
