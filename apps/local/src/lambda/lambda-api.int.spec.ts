import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { startServer, type RunningServer } from '../server';
import { QueueStore } from '../sqs/queue-store';
import { EventSourceMappings } from './esm';
import { LambdaRuntime } from './lambda-runtime';
import { LambdaService } from './lambda-service';

const region = 'eu-west-1';
const TRANSITION_MS = 400;
let dir: string;
let store: QueueStore;
let runtime: LambdaRuntime;
let esm: EventSourceMappings;
let server: RunningServer;
let lambda: LambdaClient;
const unsupported: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-api-int-'));
  const handlerFile = path.join(dir, 'index.js');
  fs.writeFileSync(handlerFile, 'exports.handler = async () => ({ batchItemFailures: [] });\n');
  store = new QueueStore({ region });
  store.createQueue('api-q');
  runtime = new LambdaRuntime({ region });
  for (const name of ['fn-b', 'fn-a']) {
    runtime.register({ name, handlerFile, env: { GREETING: 'hi', AWS_ACCESS_KEY_ID: 'secret-key-id', AWS_REGION: region }, timeoutSeconds: 7, memoryMb: 256 });
  }
  esm = new EventSourceMappings({ store, runtime, region });
  const service = new LambdaService(runtime, esm, { stateTransitionMs: TRANSITION_MS, roleArn: (fn) => `arn:aws:iam::000000000000:role/${fn}-role` });
  server = await startServer({ services: [service], onUnsupported: (s, op) => unsupported.push(`${s} ${op}`) });
  lambda = new LambdaClient({ region, endpoint: server.url, credentials: { accessKeyId: 'anyone', secretAccessKey: 'x' } });
});

afterAll(async () => {
  lambda.destroy();
  await esm.close();
  await runtime.close();
  await server.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('functions', () => {
  it('lists, gets and describes the registered functions', async () => {
    const list = await lambda.send(new ListFunctionsCommand({}));
    expect(list.Functions!.map((f) => f.FunctionName)).toEqual(['fn-a', 'fn-b']);
    const conf = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-a' }));
    expect(conf).toMatchObject({
      FunctionName: 'fn-a',
      FunctionArn: `arn:aws:lambda:${region}:000000000000:function:fn-a`,
      Role: 'arn:aws:iam::000000000000:role/fn-a-role',
      Handler: 'index.handler',
      Timeout: 7,
      MemorySize: 256,
      Version: '$LATEST',
      State: 'Active',
      Runtime: expect.stringMatching(/^nodejs\d+\.x$/),
      CodeSha256: expect.any(String),
    });
    // Lambda's reserved variables (credentials among them) are not part of the configuration.
    expect(conf.Environment?.Variables).toEqual({ GREETING: 'hi' });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:${region}:000000000000:function:fn-b` }));
    expect(fn.Configuration?.FunctionName).toBe('fn-b');
    expect(fn.Code?.RepositoryType).toBe('S3');
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-a', Qualifier: '3' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers an operation it does not emulate with UnknownOperationException naming it, and reports it', async () => {
    const res = await fetch(`${server.url}/2015-03-31/functions/fn-a/policy`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await res.json()) as { Message: string }).Message).toContain('GET /2015-03-31/functions/fn-a/policy');
    expect(unsupported).toEqual(['lambda GET /2015-03-31/functions/fn-a/policy']);
  });
});

describe('event source mapping states', () => {
  it('reports each change in its transitional state first, refuses changes while Creating, Updating or Deleting, and deletes', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn-a', EventSourceArn: store.arnOf('api-q'), BatchSize: 5 }));
    const UUID = created.UUID!;
    expect(created.State).toBe('Creating');
    await expect(lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }))).rejects.toBeInstanceOf(ResourceInUseException);
    await sleep(TRANSITION_MS + 50);
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State).toBe('Enabled');

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }))).State).toBe('Disabling');
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'fn-a' }))).EventSourceMappings![0]?.State).toBe('Disabling');
    // the API names no conflict while Disabling: turning it back on is accepted
    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }))).State).toBe('Enabling');
    await sleep(TRANSITION_MS + 50);
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State).toBe('Enabled');

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 7 }))).State).toBe('Updating');
    await expect(lambda.send(new DeleteEventSourceMappingCommand({ UUID }))).rejects.toBeInstanceOf(ResourceInUseException);
    await sleep(TRANSITION_MS + 50);

    const deleting = await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    expect(deleting).toMatchObject({ UUID, State: 'Deleting', BatchSize: 7 });
    expect((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: store.arnOf('api-q') }))).EventSourceMappings!.map((m) => m.State)).toEqual(['Deleting']);
    await sleep(TRANSITION_MS + 50);
    await expect(lambda.send(new GetEventSourceMappingCommand({ UUID }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
    expect(esm.list()).toEqual([]);
    await expect(lambda.send(new DeleteEventSourceMappingCommand({ UUID }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
