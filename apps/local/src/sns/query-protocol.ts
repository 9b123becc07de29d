import { randomUUID } from 'node:crypto';
import type { AwsResponse } from '../aws-service';

/** The AWS query protocol's XML namespace for SNS (API version 2010-03-31). */
export const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** `<XResponse><XResult>inner</XResult><ResponseMetadata/></XResponse>` as query-protocol services (SNS, CloudWatch) answer every action. */
export function queryOk(action: string, resultXml: string, xmlns = SNS_XMLNS): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${xmlns}"><${action}Result>${resultXml}</${action}Result>` + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** The query protocol's error document (`Sender` faults are the caller's). */
export function queryError(status: number, code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender', xmlns = SNS_XMLNS): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** Form-encoded parameters; `Attributes.entry.1.key` style members are kept flat. */
export function parseForm(body: Buffer, query?: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of query ?? []) out.set(k, v);
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out.set(k, v);
  return out;
}

/** Collects a query-protocol map (`<prefix>.entry.N.Name`, `.Value.StringValue`, `.Value.DataType`). */
export function messageAttributes(params: Map<string, string>, prefix = 'MessageAttributes'): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (let i = 1; params.has(`${prefix}.entry.${i}.Name`); i++) {
    const name = params.get(`${prefix}.entry.${i}.Name`)!;
    const type = params.get(`${prefix}.entry.${i}.Value.DataType`) ?? 'String';
    const value = params.get(`${prefix}.entry.${i}.Value.StringValue`) ?? params.get(`${prefix}.entry.${i}.Value.BinaryValue`) ?? '';
    out[name] = { Type: type, Value: value };
  }
  return out;
}
