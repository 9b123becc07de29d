import type { AwsResponse } from '../aws-service';

/**
 * SQS Query protocol responses: `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>` and
 * `<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/>`, as
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-xml-api-responses.html shows them.
 * Lists and maps are flattened under the member names of the API reference (a `<QueueUrl>` per URL, an
 * `<Attribute><Name/><Value/></Attribute>` per attribute, a `<Message>` per message).
 */
export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

type Json = Record<string, unknown>;

/** JSON member -> the element each item of a flattened list becomes (batch results depend on the action). */
const LIST_ELEMENTS: Record<string, string> = {
  QueueUrls: 'QueueUrl',
  queueUrls: 'QueueUrl',
  Messages: 'Message',
  Failed: 'BatchResultErrorEntry',
  Results: 'ListMessageMoveTasksResultEntry',
};
/** JSON map member -> [element, key element, value element]. */
const MAP_ELEMENTS: Record<string, [string, string, string]> = {
  Attributes: ['Attribute', 'Name', 'Value'],
  Tags: ['Tag', 'Key', 'Value'],
  MessageAttributes: ['MessageAttribute', 'Name', 'Value'],
};

/**
 * XML text escaping; `\r` is written as a character reference because XML parsers turn a literal CR into LF,
 * which would change a message body and break its MD5.
 */
export function xmlText(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => (c === '\r' ? '&#xD;' : c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

function value(v: unknown, action: string): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((item) => `<member>${value(item, action)}</member>`).join('');
  if (typeof v === 'object') return members(v as Json, action);
  return xmlText(String(v));
}

function members(obj: Json, action: string): string {
  let out = '';
  for (const [key, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    const map = MAP_ELEMENTS[key];
    if (map && typeof v === 'object' && !Array.isArray(v)) {
      const [el, k, val] = map;
      for (const [name, item] of Object.entries(v as Json)) out += `<${el}><${k}>${xmlText(name)}</${k}><${val}>${value(item, action)}</${val}></${el}>`;
      continue;
    }
    if (Array.isArray(v)) {
      const el = key === 'Successful' ? `${action}ResultEntry` : (LIST_ELEMENTS[key] ?? key);
      for (const item of v) out += `<${el}>${value(item, action)}</${el}>`;
      continue;
    }
    out += `<${key}>${value(v, action)}</${key}>`;
  }
  return out;
}

/** Actions whose output shape is empty: their response holds the metadata only (API reference, "Response Elements"). */
const NO_RESULT = new Set(['DeleteQueue', 'SetQueueAttributes', 'TagQueue', 'UntagQueue', 'PurgeQueue', 'DeleteMessage', 'ChangeMessageVisibility']);

/** A successful action; an empty result of an action with an output shape is still sent (`<ReceiveMessageResult/>`). */
export function queryResult(action: string, output: Json, requestId: string): AwsResponse {
  const inner = members(output, action);
  const result = NO_RESULT.has(action) ? '' : inner ? `<${action}Result>${inner}</${action}Result>` : `<${action}Result/>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0"?><${action}Response xmlns="${SQS_XMLNS}">${result}` + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** The error document; `Sender` faults are the caller's, `Receiver` faults the service's. */
export function queryError(status: number, code: string, message: string, requestId: string, type: 'Sender' | 'Receiver' = 'Sender'): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XMLNS}"><Error><Type>${type}</Type><Code>${xmlText(code)}</Code>` +
      `<Message>${xmlText(message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
