import * as http from 'node:http';
import * as https from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { batchResult, checkSendMessage, digestHex, parseAnswer, type RawResponse } from './sqs-json-response';
import type { SqsTransport } from './sqs-transport';

export interface SqsJsonTransportConfig {
  region: string;
  /** Where to send; without it, the queue URL's origin, as the SDK does (`useQueueUrlAsEndpoint`). */
  endpoint?: string;
  /** The SDK's credential provider (an SQSClient's `config.credentials`), so the same chain applies. */
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;
  /** Keep-alive sockets per origin: one per call in flight. */
  maxSockets: number;
}

const USER_AGENT = 'lean-ops-injector';

/**
 * SendMessageBatch and SendMessage over the SQS JSON protocol (awsJson1_0) as the AWS SDK v3 sends them: POST /,
 * `X-Amz-Target: AmazonSQS.<Action>`, `x-amzn-query-mode: true`, the same JSON body, SigV4 by the SDK's own signer
 * (@smithy/signature-v4, service `sqs`), and the MD5 of every body checked against the answer. It skips the SDK's
 * per-call middleware chain and schema serde, which cost ~1 ms of CPU per SendMessageBatch (profiled), not the
 * contract. Failed calls are not retried here: the sender re-sends with backoff (send-batches.ts).
 */
export function sqsJsonTransport(config: SqsJsonTransportConfig): SqsTransport & { close(): void } {
  const signer = new SignatureV4({ service: 'sqs', region: config.region, credentials: config.credentials, sha256: Sha256, uriEscapePath: true });
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: config.maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets: config.maxSockets }) };
  const origins = new Map<string, URL>();
  const originOf = (queueUrl: string): URL => {
    let url = origins.get(queueUrl);
    if (!url) origins.set(queueUrl, (url = new URL(config.endpoint ?? new URL(queueUrl).origin)));
    return url;
  };

  const call = async (queueUrl: string, action: string, body: string): Promise<Record<string, unknown>> => {
    const url = originOf(queueUrl);
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        'x-amzn-query-mode': 'true',
        'content-length': String(Buffer.byteLength(body, 'utf8')),
        host: url.host,
        // The payload hash the signer would compute, done once here with one synchronous call.
        'x-amz-content-sha256': digestHex('sha256', body),
        'user-agent': USER_AGENT,
      },
      body,
    });
    const secure = url.protocol === 'https:';
    return parseAnswer(await post(secure ? https : http, secure ? agents.https : agents.http, url, signed.headers, body));
  };

  return {
    async sendBatch(queueUrl, entries) {
      const sent = new Map<string, string>();
      for (const e of entries) sent.set(e.id, e.body);
      const body = JSON.stringify({ QueueUrl: queueUrl, Entries: entries.map((e) => ({ Id: e.id, MessageBody: e.body })) });
      return batchResult(await call(queueUrl, 'SendMessageBatch', body), sent);
    },
    async sendOne(queueUrl, messageBody) {
      checkSendMessage(await call(queueUrl, 'SendMessage', JSON.stringify({ QueueUrl: queueUrl, MessageBody: messageBody })), messageBody);
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** One request on a keep-alive socket; the body goes as a string, so head and body leave in one write. */
function post(mod: typeof http | typeof https, agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // URL keeps an IPv6 literal's brackets in `hostname`; the socket wants it bare.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const req = mod.request({ agent, method: 'POST', hostname, port: url.port || undefined, path: url.pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body, 'utf8');
  });
}
