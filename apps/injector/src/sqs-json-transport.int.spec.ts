import assert from 'node:assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { md5Hex } from './sqs-json-response';
import { sqsJsonTransport } from './sqs-json-transport';
import { isTransientError } from './sqs-transport';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Records every request; answers with `reply` (default: every entry accepted, with the right MD5). */
function endpoint() {
  const seen: Seen[] = [];
  let reply: (input: Record<string, unknown>) => { status: number; body: unknown; headers?: Record<string, string> } = (input) => {
    const entries = (input.Entries as Array<{ Id: string; MessageBody: string }> | undefined) ?? [];
    if (!input.Entries) return { status: 200, body: { MessageId: 'one', MD5OfMessageBody: md5Hex(String(input.MessageBody)) } };
    return { status: 200, body: { Successful: entries.map((e, i) => ({ Id: e.Id, MessageId: `id-${i}`, MD5OfMessageBody: md5Hex(e.MessageBody) })), Failed: [] } };
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const out = reply(JSON.parse(body));
      res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0', ...(out.headers ?? {}) });
      res.end(JSON.stringify(out.body));
    });
  });
  return { server, seen, setReply: (r: typeof reply) => (reply = r) };
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
const entries = [
  { id: 'm0', body: '{"order_id":"o-1","note":"é ✓ \\u0001"}' },
  { id: 'm1', body: 'plain text' },
];

describe('sqsJsonTransport on the wire', () => {
  const ep = endpoint();
  let url = '';
  let queueUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => ep.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(ep.server.address() as AddressInfo).port}`;
    queueUrl = `${url}/000000000000/orders`;
  });
  afterAll(() => new Promise<void>((resolve) => ep.server.close(() => resolve())));
  beforeEach(() => (ep.seen.length = 0));

  const transport = () => sqsJsonTransport({ region: 'eu-west-1', endpoint: url, credentials: async () => credentials, maxSockets: 2 });

  it('sends what the SDK sends: same method, path, body, protocol headers and signing scope', async () => {
    const sdk = new SQSClient({ region: 'eu-west-1', endpoint: url, credentials });
    await sdk.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((e) => ({ Id: e.id, MessageBody: e.body })) }));
    sdk.destroy();
    const lean = transport();
    expect(await lean.sendBatch(queueUrl, entries)).toEqual({ successful: ['m0', 'm1'], failed: [] });
    lean.close();

    const [bySdk, byLean] = ep.seen;
    assert(bySdk && byLean, 'the endpoint saw both requests');
    expect(byLean.method).toBe(bySdk.method);
    expect(byLean.path).toBe(bySdk.path);
    expect(byLean.body).toBe(bySdk.body);
    for (const h of ['content-type', 'x-amz-target', 'x-amzn-query-mode', 'content-length', 'host', 'x-amz-content-sha256', 'x-amz-security-token']) {
      expect([h, byLean.headers[h]]).toEqual([h, bySdk.headers[h]]);
    }
    const scope = (h: IncomingHttpHeaders) => /Credential=([^,]+)/.exec(String(h.authorization))?.[1];
    expect(scope(byLean.headers)).toBe(scope(bySdk.headers));
    expect(scope(byLean.headers)).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/sqs\/aws4_request$/);
  });

  it('signs exactly the headers it sends (SigV4 recomputed from the request as received)', async () => {
    const lean = transport();
    await lean.sendOne(queueUrl, 'hello');
    lean.close();
    const req = ep.seen[0];
    assert(req, 'the endpoint saw the request');
    const auth = String(req.headers.authorization);
    const signedHeaders = (/SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '').split(';');
    expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type', 'x-amz-security-token', 'x-amz-content-sha256']));
    const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h])]));
    const date = String(req.headers['x-amz-date']);
    const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    const verifier = new SignatureV4({ service: 'sqs', region: 'eu-west-1', credentials, sha256: Sha256 });
    const again = await verifier.sign({ method: req.method, protocol: 'http:', hostname: '127.0.0.1', path: req.path, query: {}, headers, body: req.body }, { signingDate });
    expect(again.headers.authorization).toBe(auth);
  });

  it('refuses an answer whose MD5 does not match a body sent, as the SDK does', async () => {
    ep.setReply((input) => ({
      status: 200,
      body: { Successful: (input.Entries as Array<{ Id: string }>).map((e) => ({ Id: e.Id, MessageId: `x-${e.Id}`, MD5OfMessageBody: md5Hex('tampered') })), Failed: [] },
    }));
    const lean = transport();
    await expect(lean.sendBatch(queueUrl, entries)).rejects.toThrow('Invalid MD5 checksum on messages: x-m0, x-m1');
    lean.close();
  });

  it('turns error answers into the errors the sender retries or reports', async () => {
    const lean = transport();
    ep.setReply(() => ({
      status: 400,
      body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
      headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
    }));
    const missing = await lean.sendBatch(queueUrl, entries).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
    expect(isTransientError(missing)).toBe(false);
    ep.setReply(() => ({ status: 500, body: { __type: 'InternalFailure', message: 'boom' } }));
    expect(isTransientError(await lean.sendOne(queueUrl, 'x').catch((e: unknown) => e))).toBe(true);
    lean.close();
  });

  it('sends to the queue URL itself when no endpoint is set', async () => {
    ep.setReply((input) => ({ status: 200, body: { MessageId: 'one', MD5OfMessageBody: md5Hex(String(input.MessageBody)) } }));
    const lean = sqsJsonTransport({ region: 'eu-west-1', credentials: async () => credentials, maxSockets: 1 });
    await lean.sendOne(queueUrl, 'to the queue host');
    lean.close();
    expect(ep.seen[0]?.headers.host).toBe(new URL(queueUrl).host);
  });
});
