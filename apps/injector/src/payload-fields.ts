import type { Rng } from './prng';
import { RawJson, writeObject, type Entries, type JsonValue } from './json-writer';

/** Realistic payload values chosen by field name, so every topic's expected fields get plausible data. */

/** Beyond 2^53: JSON.parse in JavaScript would round it, the RAW table must not. */
export const LARGE_INTEGER = '12345678901234567890';
/** Accents, CJK, an astral-plane emoji (a UTF-16 surrogate pair) and right-to-left text. */
export const UNICODE_TEXT = 'Zoë Ångström — 東京 🚀 مرحبا';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK'];
const STATUSES = ['created', 'paid', 'shipped', 'delivered', 'cancelled'];
const METHODS = ['card', 'sepa_debit', 'paypal', 'apple_pay', 'bank_transfer'];
const PAGES = ['/', '/search', '/product/42', '/cart', '/checkout', '/account'];
const ACTIONS = ['view', 'click', 'scroll', 'add_to_cart', 'purchase'];
const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'GB', 'JP', 'BR'];
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'kilo', 'lima', 'oscar', 'tango'];
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit ';

/** Keys a schema-drift message adds (never an expected field of a topic). */
export const DRIFT_KEYS = ['loyalty_tier', 'promo_code', 'device_os', 'experiment_arm', 'referrer', 'gift_wrap', 'risk_score'];

function driftValue(key: string, rng: Rng): JsonValue {
  switch (key) {
    case 'loyalty_tier':
      return rng.pick(['bronze', 'silver', 'gold']);
    case 'promo_code':
      return `SAVE${rng.int(5, 50)}`;
    case 'device_os':
      return rng.pick(['ios', 'android', 'web']);
    case 'experiment_arm':
      return rng.pick(['control', 'treatment']);
    case 'gift_wrap':
      return rng.chance(0.5);
    case 'risk_score':
      return rng.int(0, 1000) / 10;
    default:
      return `https://example.com/${rng.pick(WORDS)}`;
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const idPrefix = (field: string) => field.replace(/_?id$/, '').slice(0, 4) || 'id';

function isoAround(anchorMs: number, rng: Rng): string {
  return new Date(anchorMs - rng.int(0, 3_600_000)).toISOString();
}

/** A plausible value for a field, from its name. */
export function fieldValue(field: string, rng: Rng, anchorMs: number): JsonValue {
  const f = field.toLowerCase();
  if (f === 'id' || f.endsWith('_id')) return `${idPrefix(f)}-${pad(rng.int(1, 999_999), 6)}`;
  if (/(amount|price|total|value|cost|balance)/.test(f)) return rng.int(100, 99_999) / 100;
  if (/currency/.test(f)) return rng.pick(CURRENCIES);
  if (/(quantity|qty|count|items)/.test(f)) return rng.int(1, 20);
  if (/status|state/.test(f)) return rng.pick(STATUSES);
  if (/method/.test(f)) return rng.pick(METHODS);
  if (/(_at|time|date|timestamp)$/.test(f)) return isoAround(anchorMs, rng);
  if (/page|path|url/.test(f)) return rng.pick(PAGES);
  if (/action|event|type/.test(f)) return rng.pick(ACTIONS);
  if (/country/.test(f)) return rng.pick(COUNTRIES);
  if (/email/.test(f)) return `${rng.pick(WORDS)}.${rng.int(1, 9999)}@example.com`;
  if (/^(is_|has_)|_flag$|enabled/.test(f)) return rng.chance(0.5);
  if (/sku/.test(f)) return `SKU-${pad(rng.int(1, 99_999), 5)}`;
  return `${rng.pick(WORDS)}-${rng.int(1, 999)}`;
}

/** Fields for a topic whose environment entry lists none. */
export const FALLBACK_FIELDS = ['id', 'value', 'note', 'created_at'];

export interface PayloadOptions {
  /** Put a number beyond 2^53 in the payload. */
  largeInteger: boolean;
  /** Put non-ASCII text in the payload. */
  unicode: boolean;
  /** Extra keys not in the expected fields. */
  driftKeys: number;
  /** Pad the payload to about this many bytes. */
  targetBytes?: number;
}

export function buildPayload(fields: ReadonlyArray<string>, rng: Rng, anchorMs: number, opts: PayloadOptions): Entries {
  const names = fields.length ? fields : FALLBACK_FIELDS;
  const entries: Entries = names.map((f) => [f, fieldValue(f, rng, anchorMs)]);
  if (opts.largeInteger) {
    // An id field is where producers really send 64-bit integers; else any numeric field, else a new one.
    const idx = pickIndex(
      entries,
      (k) => k.endsWith('_id') || k === 'id',
      (_, v) => typeof v === 'number',
    );
    if (!updateAt(entries, idx, () => new RawJson(LARGE_INTEGER))) entries.push(['sequence_number', new RawJson(LARGE_INTEGER)]);
  }
  if (opts.unicode) {
    const idx = pickIndex(
      entries,
      (k, v) => typeof v === 'string' && /(name|description|note|comment|title|address|city|text|reason)/.test(k),
      (k, v) => typeof v === 'string' && !isIdOrTime(k) && !/^[A-Z]{3}$/.test(v as string),
      (_, v) => typeof v === 'string',
    );
    if (!updateAt(entries, idx, (v) => `${v as string} ${UNICODE_TEXT}`)) entries.push(['note', UNICODE_TEXT]);
  }
  const taken = new Set(names);
  const drift = DRIFT_KEYS.filter((k) => !taken.has(k));
  for (let i = 0; i < opts.driftKeys && drift.length; i++) {
    const [key] = drift.splice(rng.int(0, drift.length - 1), 1);
    if (key !== undefined) entries.push([key, driftValue(key, rng)]);
  }
  if (opts.targetBytes !== undefined) padEntries(entries, opts.targetBytes);
  return entries;
}

const isIdOrTime = (k: string) => k === 'id' || k.endsWith('_id') || /(_at|time|date)$/.test(k);

/** Replaces the value of the entry at `idx` with what `update` makes of it; false when there is no such entry (idx -1). */
function updateAt(entries: Entries, idx: number, update: (v: JsonValue) => JsonValue): boolean {
  const entry = entries[idx];
  if (!entry) return false;
  entries[idx] = [entry[0], update(entry[1])];
  return true;
}

function pickIndex(entries: Entries, ...preferences: Array<(k: string, v: JsonValue) => boolean>): number {
  for (const p of preferences) {
    const i = entries.findIndex(([k, v]) => p(k, v));
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * Grows the last free-text string field (not an id, time or code) until the payload text is about
 * `targetBytes`; with no such field, adds `padding` (which the processor records as drift).
 */
export function padEntries(entries: Entries, targetBytes: number): void {
  let missing = targetBytes - Buffer.byteLength(writeObject(entries), 'utf8');
  if (missing <= 0) return;
  let idx = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const [k, v] = entries[i] ?? ['', null];
    if (typeof v === 'string' && !isIdOrTime(k) && !/^[A-Z]{3}$/.test(v)) {
      idx = i;
      break;
    }
  }
  if (idx < 0) {
    entries.push(['padding', '']);
    idx = entries.length - 1;
    missing -= ',"padding":""'.length;
  }
  // The filler is ASCII without characters JSON escapes, so n characters add exactly n bytes.
  updateAt(entries, idx, (v) => (v as string) + filler(Math.max(0, missing)));
}

export function filler(bytes: number): string {
  return FILLER.repeat(Math.ceil(bytes / FILLER.length)).slice(0, bytes);
}
