import type { AwsRequest, AwsResponse, AwsService } from '../aws-service';
import { EsmConfigError, type EventSourceMappingUpdate, type EventSourceMappings } from './esm';
import { functionConfiguration } from './function-configuration';
import type { LambdaRuntime } from './lambda-runtime';
import { MappingInUseError, MappingStates, type MappingView } from './mapping-states';

const API = '/2015-03-31';
const ESM_PATH = /^\/2015-03-31\/event-source-mappings\/?$/;
const ESM_ONE = /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/;
const FUNCTIONS = /^\/2015-03-31\/functions\/?$/;
const FUNCTION_ONE = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const FUNCTION_CONFIGURATION = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/;
const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** The path parameter a route pattern captured (each has one group, which takes part in every match). */
const pathParam = (m: RegExpExecArray) => decodeURIComponent(m[1] ?? '');
/** ListFunctions returns at most 50 functions a page (API reference, MaxItems). */
const MAX_FUNCTIONS_PAGE = 50;

/** Lambda REST-JSON errors: the type in `x-amzn-errortype`, `Type` and `Message` in the body. */
function lambdaError(status: number, type: string, message: string): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', Message: message, message }),
  };
}

const json = (status: number, payload: unknown): AwsResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
const noMapping = (uuid: string) => lambdaError(404, 'ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda, UUID: ${uuid})`);

export function esmConfigurationView(v: MappingView): Record<string, unknown> {
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

export interface LambdaServiceOptions {
  /** How long mapping changes report Creating / Enabling / Disabling / Updating / Deleting; default 0 (none). */
  stateTransitionMs?: number;
  /** The execution role each function has (FunctionConfiguration.Role). */
  roleArn?: (functionName: string) => string | undefined;
}

/**
 * The Lambda API calls the pipeline and its operators make: event source mappings (the circuit breaker, the redrive
 * tool), Invoke (schedules, SNS), ListFunctions / GetFunction / GetFunctionConfiguration.
 */
export class LambdaService implements AwsService {
  readonly name = 'lambda';
  readonly mappings: MappingStates;

  constructor(
    private readonly runtime: LambdaRuntime,
    esm: EventSourceMappings,
    private readonly opts: LambdaServiceOptions = {},
  ) {
    this.mappings = new MappingStates(esm, { transitionMs: opts.stateTransitionMs ?? 0 });
  }

  matches(req: AwsRequest): boolean {
    return !req.target && req.path.startsWith(`${API}/`);
  }

  async handle(req: AwsRequest): Promise<AwsResponse> {
    try {
      return (await this.route(req)) ?? this.unknown(req);
    } catch (e) {
      if (e instanceof EsmConfigError) return lambdaError(400, 'InvalidParameterValueException', e.message);
      if (e instanceof MappingInUseError) return lambdaError(400, 'ResourceInUseException', e.message);
      throw e;
    }
  }

  private async route(req: AwsRequest): Promise<AwsResponse | undefined> {
    const { method, path } = req;
    if (ESM_PATH.test(path)) {
      if (method === 'GET') return this.list(req);
      if (method === 'POST') return this.create(req);
    }
    const one = ESM_ONE.exec(path);
    if (one) {
      const uuid = pathParam(one);
      if (method === 'GET') return this.getOne(uuid);
      if (method === 'PUT') return this.update(uuid, req);
      if (method === 'DELETE') return this.remove(uuid);
    }
    if (FUNCTIONS.test(path) && method === 'GET') return this.listFunctions(req);
    const fn = FUNCTION_ONE.exec(path);
    if (fn && method === 'GET') return this.getFunction(pathParam(fn), req, false);
    const conf = FUNCTION_CONFIGURATION.exec(path);
    if (conf && method === 'GET') return this.getFunction(pathParam(conf), req, true);
    const inv = INVOKE.exec(path);
    if (inv && method === 'POST') return this.invoke(pathParam(inv), req);
    return undefined;
  }

  /** The API reference names no error for an unknown route; Lambda's front end answers UnknownOperationException. */
  private unknown(req: AwsRequest): AwsResponse {
    const operation = `${req.method} ${req.path}`;
    return { ...lambdaError(404, 'UnknownOperationException', `Unknown operation ${operation}: the local Lambda endpoint does not emulate it.`), unsupported: operation };
  }

  private list(req: AwsRequest): AwsResponse {
    const functionName = req.query.get('FunctionName') ?? undefined;
    const eventSourceArn = req.query.get('EventSourceArn') ?? undefined;
    const all = this.mappings.list({ functionName, eventSourceArn });
    const start = Number(req.query.get('Marker') ?? 0) || 0;
    const max = Math.min(Number(req.query.get('MaxItems') ?? 100) || 100, 10_000);
    const page = all.slice(start, start + max);
    return json(200, {
      EventSourceMappings: page.map(esmConfigurationView),
      ...(start + max < all.length ? { NextMarker: String(start + max) } : {}),
    });
  }

  private getOne(uuid: string): AwsResponse {
    const v = this.mappings.get(uuid);
    return v ? json(200, esmConfigurationView(v)) : noMapping(uuid);
  }

  private create(req: AwsRequest): AwsResponse {
    const b = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    const batchSize = (b.BatchSize as number | undefined) ?? 10;
    const v = this.mappings.create({
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
    const v = this.mappings.update(uuid, patch);
    return v ? json(202, esmConfigurationView(v)) : noMapping(uuid);
  }

  private remove(uuid: string): AwsResponse {
    const v = this.mappings.delete(uuid);
    return v ? json(202, esmConfigurationView(v)) : noMapping(uuid);
  }

  private listFunctions(req: AwsRequest): AwsResponse {
    const names = this.runtime.functionNames().sort();
    const start = Number(req.query.get('Marker') ?? 0) || 0;
    const max = Math.min(Math.max(Number(req.query.get('MaxItems') ?? MAX_FUNCTIONS_PAGE) || MAX_FUNCTIONS_PAGE, 1), MAX_FUNCTIONS_PAGE);
    const page = names.slice(start, start + max).map((n) => this.configuration(n));
    return json(200, { Functions: page, ...(start + max < names.length ? { NextMarker: String(start + max) } : {}) });
  }

  /** GetFunction (configuration, code location, tags) or GetFunctionConfiguration; only `$LATEST` exists locally. */
  private getFunction(nameOrArn: string, req: AwsRequest, configurationOnly: boolean): AwsResponse {
    const qualifier = req.query.get('Qualifier');
    if (!this.runtime.has(nameOrArn) || (qualifier && qualifier !== '$LATEST')) {
      const arn = this.runtime.functionArn(nameOrArn);
      return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${qualifier ? `${arn}:${qualifier}` : arn}`);
    }
    const configuration = this.configuration(nameOrArn);
    if (configurationOnly) return json(200, configuration);
    const def = this.runtime.definition(nameOrArn)!;
    return json(200, { Configuration: configuration, Code: { RepositoryType: 'S3', Location: `file://${def.handlerFile}` }, Tags: {} });
  }

  private configuration(nameOrArn: string): Record<string, unknown> {
    const def = this.runtime.definition(nameOrArn)!;
    return functionConfiguration(def, this.runtime.functionArn(def.name), this.opts.roleArn?.(def.name));
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
