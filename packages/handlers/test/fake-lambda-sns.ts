import { startFakeServer, type FakeServer } from './fake-aws-server';

export interface Mapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  State: 'Enabled' | 'Disabled';
  ScalingConfig?: { MaximumConcurrency?: number };
}

export interface FakeLambda extends FakeServer {
  mappings: Mapping[];
  updates: Array<{ UUID: string; Enabled?: boolean; MaximumConcurrency?: number }>;
}

const ESM_PATH = '/2015-03-31/event-source-mappings/';

/** Lambda's event-source-mapping API (restJson1): list by function and source, update by UUID. */
export async function startFakeLambda(mappings: Mapping[]): Promise<FakeLambda> {
  const updates: FakeLambda['updates'] = [];
  const server = await startFakeServer((req) => {
    if (req.method === 'GET' && (req.path === ESM_PATH || `${req.path}/` === ESM_PATH)) {
      const fn = req.query.get('FunctionName');
      const src = req.query.get('EventSourceArn');
      const found = mappings.filter((m) => (!fn || m.FunctionArn.endsWith(`:${fn}`)) && (!src || m.EventSourceArn === src));
      return { status: 200, body: JSON.stringify({ EventSourceMappings: found }) };
    }
    if (req.method === 'PUT' && req.path.startsWith(ESM_PATH)) {
      const uuid = req.path.slice(ESM_PATH.length);
      const m = mappings.find((x) => x.UUID === uuid);
      if (!m) return { status: 404, body: JSON.stringify({ Type: 'User', message: 'not found' }), headers: { 'x-amzn-errortype': 'ResourceNotFoundException' } };
      const input = JSON.parse(req.body || '{}') as { Enabled?: boolean; ScalingConfig?: { MaximumConcurrency?: number } };
      if (input.Enabled !== undefined) m.State = input.Enabled ? 'Enabled' : 'Disabled';
      if (input.ScalingConfig) m.ScalingConfig = input.ScalingConfig;
      updates.push({ UUID: uuid, Enabled: input.Enabled, MaximumConcurrency: input.ScalingConfig?.MaximumConcurrency });
      return { status: 202, body: JSON.stringify(m) };
    }
    return { status: 404, body: '{}', headers: { 'x-amzn-errortype': 'ResourceNotFoundException' } };
  });
  return { ...server, mappings, updates };
}

export interface FakeSns extends FakeServer {
  published: Array<{ TopicArn: string; Subject?: string; Message: string }>;
}

/** SNS Publish (awsQuery: form-encoded request, XML response). */
export async function startFakeSns(): Promise<FakeSns> {
  const published: FakeSns['published'] = [];
  const server = await startFakeServer((req) => {
    const form = new URLSearchParams(req.body);
    if (form.get('Action') !== 'Publish') return { status: 400, body: '<ErrorResponse/>', headers: { 'content-type': 'text/xml' } };
    published.push({ TopicArn: form.get('TopicArn') ?? '', Subject: form.get('Subject') ?? undefined, Message: form.get('Message') ?? '' });
    const xml = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`;
    return { status: 200, body: xml, headers: { 'content-type': 'text/xml' } };
  });
  return { ...server, published };
}
