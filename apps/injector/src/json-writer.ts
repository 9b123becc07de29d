/**
 * Writes JSON text from ordered entries. JSON.stringify cannot emit an integer beyond 2^53 exactly,
 * and the pipeline must keep such numbers byte for byte, so a value can also be a raw JSON token.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonValue = string | number | boolean | null | RawJson | JsonValue[] | { [key: string]: JsonValue };
export type Entries = Array<[string, JsonValue]>;

export function writeValue(v: JsonValue): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(writeValue).join(',')}]`;
  if (v !== null && typeof v === 'object') return writeObject(Object.entries(v));
  return JSON.stringify(v);
}

export function writeObject(entries: Entries): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${writeValue(v)}`).join(',')}}`;
}
