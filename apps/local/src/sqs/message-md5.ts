import * as crypto from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as the JSON protocol carries blobs. */
  BinaryValue?: string;
}
export type MessageAttributes = Record<string, MessageAttributeValue>;

// The one-shot crypto.hash (Node 20.12+; a string is hashed as UTF-8) costs half a Hash object for a message-sized body.
export const md5Hex = (text: string): string => (typeof crypto.hash === 'function' ? crypto.hash('md5', text, 'hex') : crypto.createHash('md5').update(text, 'utf8').digest('hex'));

/**
 * MD5OfMessageAttributes as SQS documents it: attributes sorted by name, each encoded as
 * length-prefixed name, length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed value.
 */
export function md5OfMessageAttributes(attrs: MessageAttributes | undefined): string | undefined {
  if (!attrs) return undefined;
  // sorted by name as Object.keys().sort() orders them (UTF-16 code units)
  const entries = Object.entries(attrs).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  if (entries.length === 0) return undefined;
  const hash = crypto.createHash('md5');
  const withLength = (buf: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    hash.update(len);
    hash.update(buf);
  };
  for (const [name, a] of entries) {
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      withLength(Buffer.from(a.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      withLength(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** Bytes a message counts against MaximumMessageSize: body plus each attribute's name, type and value. */
export function messageSize(body: string, attrs: MessageAttributes | undefined): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attrs ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType, 'utf8');
    size += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').length : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  return size;
}

/** SQS accepts only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF in a body. */
export function hasInvalidCharacters(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = body.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xe000 && c <= 0xfffd) continue;
    return true;
  }
  return false;
}
