import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import { EsmConfigError, type EventSourceMappingUpdate, type EventSourceMappingView, type EventSourceMappings } from './esm';
import type { LambdaRuntime } from './lambda-runtime';

const API = '/2015-03-31';
const ESM_PATH = /^\/2015-03-31\/event-source-mappings\/?$/;
const ESM_ONE = /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/;
const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** Lambda REST-JSON errors: the type in `x-amzn-errortype`, `Type` and `Message` in the body. */
function lambdaError(status: number, type: string, message: string): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', Message: message, message }),
  };
}

const json = (status: number, payload: unknown): AwsResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

export function esmConfigurationView(v: EventSourceMappingView): Record<string, unknown> {
  return {
    UUID: v.uuid,
    BatchSize: v.batchSize,
    MaximumBatchingWindowInSeconds: v.maximumBatchingWindowInSeconds,
    EventSourceArn: v.eventSourceArn,
    FunctionArn: v.functionArn,
    // restJson timestamps travel as epoch seconds
    LastModified: v.lastModified.getTime() / 1000,
    LastProcessingResult: v.stats.batches === 0 ? 'No records processed' : v.stats.failedBatches === v.stats.batches ? 'PROBLEM: Function call failed' : 'OK',
    State: v.state,
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: v.functionResponseTypes,
    ...(v.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: v.maximumConcurrency } } : {}),
  };
}

/** The Lambda API calls the pipeline makes: event source mappings (the circuit breaker) and Invoke (schedules, SNS). */
export class LambdaService implements AwsService {
  readonly name = 'lambda';

  constructor(
    private readonly runtime: LambdaRuntime,
    private readonly esm: EventSourceMappings,
  ) {}

  matches(req: AwsRequest): boolean {
    return !req.target && req.path.startsWith(`${API}/`);
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    try {
      if (ESM_PATH.test(req.path)) {
        if (req.method === 'GET') return this.list(req);
        if (req.method === 'POST') return this.create(req);
      }
      const one = ESM_ONE.exec(req.path);
      if (one) {
        const uuid = decodeURIComponent(one[1]);
        if (req.method === 'GET') return this.getOne(uuid);
        if (req.method === 'PUT') return this.update(uuid, req);
      }
      const inv = INVOKE.exec(req.path);
      if (inv && req.method === 'POST') return this.invoke(decodeURIComponent(inv[1]), req);
      return lambdaError(400, 'UnknownOperationException', `No Lambda operation for ${req.method} ${req.path}.`);
    } catch (e) {
      if (e instanceof EsmConfigError) return lambdaError(400, 'InvalidParameterValueException', e.message);
      throw e;
    }
  }

  private list(req: AwsRequest): AwsResponse {
    const functionName = req.query.get('FunctionName') ?? undefined;
    const eventSourceArn = req.query.get('EventSourceArn') ?? undefined;
    const all = this.esm.list({ functionName, eventSourceArn });
    const start = Number(req.query.get('Marker') ?? 0) || 0;
    const max = Math.min(Number(req.query.get('MaxItems') ?? 100) || 100, 10_000);
    const page = all.slice(start, start + max);
    return json(200, {
      EventSourceMappings: page.map(esmConfigurationView),
      ...(start + max < all.length ? { NextMarker: String(start + max) } : {}),
    });
  }

  private getOne(uuid: string): AwsResponse {
    const v = this.esm.get(uuid);
    return v ? json(200, esmConfigurationView(v)) : lambdaError(404, 'ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda, UUID: ${uuid})`);
  }

  private create(req: AwsRequest): AwsResponse {
    const b = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    const batchSize = (b.BatchSize as number | undefined) ?? 10;
    const v = this.esm.create({
      functionName: String(b.FunctionName ?? ''),
      eventSourceArn: String(b.EventSourceArn ?? ''),
      batchSize,
      maximumBatchingWindowInSeconds: (b.MaximumBatchingWindowInSeconds as number | undefined) ?? 0,
      maximumConcurrency: (b.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency,
      functionResponseTypes: (b.FunctionResponseTypes as Array<'ReportBatchItemFailures'> | undefined) ?? [],
      enabled: b.Enabled !== false,
    });
    return json(202, esmConfigurationView(v));
  }

  private update(uuid: string, req: AwsRequest): AwsResponse {
    const b = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    const patch: EventSourceMappingUpdate = {};
    if (typeof b.Enabled === 'boolean') patch.enabled = b.Enabled;
    if (typeof b.BatchSize === 'number') patch.batchSize = b.BatchSize;
    if (typeof b.MaximumBatchingWindowInSeconds === 'number') patch.maximumBatchingWindowInSeconds = b.MaximumBatchingWindowInSeconds;
    if (Array.isArray(b.FunctionResponseTypes)) patch.functionResponseTypes = b.FunctionResponseTypes as Array<'ReportBatchItemFailures'>;
    if (b.ScalingConfig && typeof b.ScalingConfig === 'object') {
      const c = (b.ScalingConfig as { MaximumConcurrency?: number }).MaximumConcurrency;
      patch.maximumConcurrency = typeof c === 'number' ? c : null;
    }
    const v = this.esm.update(uuid, patch);
    return v ? json(202, esmConfigurationView(v)) : lambdaError(404, 'ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda, UUID: ${uuid})`);
  }

  private async invoke(functionName: string, req: AwsRequest): Promise<AwsResponse> {
    if (!this.runtime.has(functionName)) {
      return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${this.runtime.functionArn(functionName)}`);
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    let event: unknown;
    try {
      event = req.body.length > 0 ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return lambdaError(400, 'InvalidRequestContentException', 'Could not parse request body into json.');
    }
    if (type === 'DryRun') return { status: 204, body: '' };
    if (type === 'Event') {
      // Asynchronous invocation: accepted at once, run in the background.
      void this.runtime.invoke(functionName, event).catch(() => undefined);
      return { status: 202, headers: { 'x-amz-executed-version': '$LATEST' }, body: '' };
    }
    const r = await this.runtime.invoke(functionName, event);
    if (r.ok) {
      return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }, body: JSON.stringify(r.payload) };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' },
      body: JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, ...(r.trace ? { trace: r.trace } : {}) }),
    };
  }
}
