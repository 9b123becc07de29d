import { cbor, dateToTag } from '@smithy/core/cbor';
import { jsonBody, jsonOk, type AwsRequest, type AwsResponse } from '../aws-service';
import { parseForm, queryError, queryOk, xmlEscape } from '../sns/query-protocol';

/**
 * CloudWatch answers three protocols, by the client's age (the service model `monitoring` 2010-08-01, which is
 * query-compatible): the query protocol (form-encoded `Action=...&Version=2010-08-01`, XML; e.g. AWS CLI 2.9 and
 * boto3 1.26), AWS JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`; current botocore and the AWS SDK
 * for JavaScript v3) and Smithy RPC v2 CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`; newer
 * SDKs that prefer it, smithy.io "Smithy RPC v2 CBOR protocol").
 */
export type CloudWatchProtocol = 'query' | 'json' | 'cbor';

export const CLOUDWATCH_VERSION = '2010-08-01';
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const SERVICE = 'GraniteServiceVersion20100801';
const JSON_PREFIX = `${SERVICE}.`;
const CBOR_PREFIX = `/service/${SERVICE}/operation/`;

export interface CloudWatchCall {
  protocol: CloudWatchProtocol;
  operation: string;
  /** Undefined when the body cannot be read (the service answers SerializationException). */
  input: Record<string, unknown> | undefined;
}

const readCalls = new WeakMap<AwsRequest, CloudWatchCall | null>();

/**
 * The call a request makes, or undefined when it is not a CloudWatch request: read once for every reader (the
 * router's match, the authorization check, the service), as jsonBody is.
 */
export function cloudWatchCall(req: AwsRequest): CloudWatchCall | undefined {
  let call = readCalls.get(req);
  if (call === undefined) readCalls.set(req, (call = readCall(req) ?? null));
  return call ?? undefined;
}

function readCall(req: AwsRequest): CloudWatchCall | undefined {
  if (req.method === 'POST' && req.path.startsWith(CBOR_PREFIX)) return { protocol: 'cbor', operation: req.path.slice(CBOR_PREFIX.length), input: cborInput(req.body) };
  if (req.target?.startsWith(JSON_PREFIX)) return { protocol: 'json', operation: req.target.slice(JSON_PREFIX.length), input: jsonBody(req) };
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const form = parseForm(req.body, req.query);
  const action = form.get('Action');
  return form.get('Version') === CLOUDWATCH_VERSION && action ? { protocol: 'query', operation: action, input: queryInput(form) } : undefined;
}

function cborInput(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = cbor.deserialize(new Uint8Array(body));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Query parameters as the JSON shape: `Name.member.N` lists become arrays, numeric strings stay strings except
 * MaxRecords (the only number the served operations take).
 */
function queryInput(form: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const list = /^(\w+)\.member\.(\d+)$/.exec(key);
    if (list) ((out[list[1]!] ??= []) as string[])[Number(list[2]) - 1] = value;
    else out[key] = key === 'MaxRecords' ? Number(value) : value;
  }
  return out;
}

/** An operation's output in the caller's protocol (timestamps: epoch seconds in JSON, tag 1 in CBOR, ISO 8601 in XML). */
export function cloudWatchOk(protocol: CloudWatchProtocol, operation: string, output: Record<string, unknown>): AwsResponse {
  if (protocol === 'json') return jsonOk(mapDates(output, (d) => d.getTime() / 1000));
  if (protocol === 'cbor') return { status: 200, headers: CBOR_HEADERS, body: Buffer.from(cbor.serialize(mapDates(output, dateToTag))) };
  return queryOk(operation, xml(output), XMLNS);
}

/**
 * An error in the caller's protocol. CloudWatch is query-compatible: JSON and CBOR answers carry the error's shape
 * in `__type` and its query code in `x-amzn-query-error` (`<code>;Sender`), XML answers the query code
 * (`shape` defaults to the code: most CloudWatch errors are named as their code).
 */
export function cloudWatchError(protocol: CloudWatchProtocol, status: number, code: string, message: string, shape = code): AwsResponse {
  if (protocol === 'query') return queryError(status, code, message, 'Sender', XMLNS);
  const queryErrorHeader = { 'x-amzn-query-error': `${code};Sender` };
  if (protocol === 'json')
    return { status, headers: { 'content-type': 'application/x-amz-json-1.0', ...queryErrorHeader }, body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${shape}`, message }) };
  return { status, headers: { ...CBOR_HEADERS, ...queryErrorHeader }, body: Buffer.from(cbor.serialize({ __type: `com.amazonaws.cloudwatch#${shape}`, message })) };
}

const CBOR_HEADERS = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' };

function mapDates(v: unknown, f: (d: Date) => unknown): never {
  if (v instanceof Date) return f(v) as never;
  if (Array.isArray(v)) return v.map((x) => mapDates(x, f)) as never;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapDates(x, f)])) as never;
  return v as never;
}

/** Query-protocol XML of a JSON-shaped value: lists as `<member>` items, timestamps in ISO 8601. */
function xml(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((item) => `<member>${xml(item)}</member>`).join('');
  if (typeof v === 'object')
    return Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `<${k}>${xml(x)}</${k}>`)
      .join('');
  return xmlEscape(String(v));
}
