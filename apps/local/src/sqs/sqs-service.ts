import { jsonBody, jsonOk, type AwsRequest, type AwsResponse, type AwsService } from '../aws-service';
import { queueUrl } from './queue-attributes';
import type { QueueStore } from './queue-store';
import { SqsError } from './sqs-errors';
import type { Action, Json } from './sqs-input';
import { messageActions, moveTaskActions } from './sqs-message-actions';
import { queueActions } from './sqs-queue-actions';

const TARGET_PREFIX = 'AmazonSQS.';

/** The SQS JSON protocol (awsJson1_0, `X-Amz-Target: AmazonSQS.<Action>`) over a QueueStore. */
export class SqsService implements AwsService {
  readonly name = 'sqs';
  private readonly actions: Record<string, Action>;

  constructor(
    readonly store: QueueStore,
    private readonly opts: { endpoint?: () => string | undefined } = {},
  ) {
    this.actions = { ...queueActions(store, (req, name) => this.url(req, name)), ...messageActions(store), ...moveTaskActions(store) };
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
}
