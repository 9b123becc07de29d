import { QUEUE_NAME_PATTERN, SETTABLE_DEFAULTS, parseRedrivePolicy, queueArn, redriveAllowed, validateAttributes } from './queue-attributes';
import { LiveQueue } from './live-queue';
import { queueEntry, type QueuePersistence } from './queue-persistence';
import { SqsError, invalidParameter, noSuchQueue } from './sqs-errors';

/** The queues by name: create, delete, attributes and tags (CreateQueue ... ListDeadLetterSourceQueues). */
export class QueueCatalog {
  private readonly queues = new Map<string, LiveQueue>();

  constructor(
    private readonly region: string,
    private readonly persistence: QueuePersistence,
    private readonly clock: () => number,
  ) {}

  /** CreateQueue: returns the queue ARN; idempotent when the attributes given match the existing queue. */
  create(name: string, attributes: Record<string, string>, tags: Record<string, string>): string {
    if (!QUEUE_NAME_PATTERN.test(name)) {
      throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const attrs = validateAttributes(attributes);
    const existing = this.queues.get(name);
    if (existing) {
      // CreateQueue is idempotent only when every given attribute matches the existing queue.
      for (const [k, v] of Object.entries(attrs)) {
        if ((existing.attrs[k] ?? SETTABLE_DEFAULTS[k]) !== v) {
          throw new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${k}`);
        }
      }
      return existing.arn;
    }
    const arn = queueArn(this.region, name);
    this.checkRedriveTarget(arn, attrs.RedrivePolicy);
    const now = this.clock();
    const q = new LiveQueue(name, arn, attrs, now, now, { ...tags }, this.persistence.journalFor(name));
    this.queues.set(name, q);
    this.persistence.log(q, queueEntry(q));
    return arn;
  }

  /** Adds a queue rebuilt from its journal. */
  add(q: LiveQueue): void {
    this.queues.set(q.name, q);
  }

  /** The queue, or AWS.SimpleQueueService.NonExistentQueue. */
  get(name: string): LiveQueue {
    const q = this.queues.get(name);
    if (!q) throw noSuchQueue();
    return q;
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  /** False once the queue was deleted (a late timer must not touch it). */
  isLive(q: LiveQueue): boolean {
    return this.queues.get(q.name) === q;
  }

  byArn(arn: string): LiveQueue | undefined {
    for (const q of this.queues.values()) if (q.arn === arn) return q;
    return undefined;
  }

  names(prefix: string): string[] {
    return [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
  }

  all(): IterableIterator<LiveQueue> {
    return this.queues.values();
  }

  delete(q: LiveQueue): void {
    this.persistence.forget(q);
    this.queues.delete(q.name);
  }

  setAttributes(q: LiveQueue, attributes: Record<string, string>): void {
    const attrs = validateAttributes(attributes);
    if (attrs.RedrivePolicy) this.checkRedriveTarget(q.arn, attrs.RedrivePolicy);
    const next = { ...q.attrs, ...attrs };
    for (const [k, v] of Object.entries(attrs)) if (v === '' && !(k in SETTABLE_DEFAULTS)) delete next[k];
    q.attrs = next;
    q.modified = this.clock();
    q.applyPolicies();
    this.persistence.log(q, queueEntry(q));
  }

  /** GetQueueAttributes: settable ones with their defaults, plus the read-only ones. */
  attributesOf(q: LiveQueue): Record<string, string> {
    const c = q.counts();
    const out: Record<string, string> = { ...SETTABLE_DEFAULTS, ...q.attrs };
    out.QueueArn = q.arn;
    out.ApproximateNumberOfMessages = String(c.visible);
    out.ApproximateNumberOfMessagesNotVisible = String(c.inFlight);
    out.ApproximateNumberOfMessagesDelayed = String(c.delayed);
    out.CreatedTimestamp = String(Math.floor(q.created / 1000));
    out.LastModifiedTimestamp = String(Math.floor(q.modified / 1000));
    return out;
  }

  setTags(q: LiveQueue, add: Record<string, string>, remove: string[]): void {
    q.tags = { ...q.tags, ...add };
    for (const k of remove) delete q.tags[k];
    this.persistence.log(q, queueEntry(q));
  }

  /** Queues whose RedrivePolicy targets this queue. */
  deadLetterSources(q: LiveQueue): string[] {
    return [...this.queues.values()]
      .filter((source) => source.redrive?.deadLetterTargetArn === q.arn)
      .map((source) => source.name)
      .sort();
  }

  private checkRedriveTarget(sourceArn: string, redrivePolicy: string | undefined): void {
    if (!redrivePolicy) return;
    const p = parseRedrivePolicy(redrivePolicy);
    const dlq = this.byArn(p.deadLetterTargetArn);
    if (!dlq) {
      throw new SqsError('InvalidAttributeValue', `Value ${redrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
    }
    if (!redriveAllowed(dlq.redriveAllow, sourceArn)) {
      throw new SqsError(
        'InvalidAttributeValue',
        `Value ${redrivePolicy} for parameter RedrivePolicy is invalid. Reason: Queue ${sourceArn} is not allowed by the dead-letter queue's RedriveAllowPolicy.`,
      );
    }
  }
}
