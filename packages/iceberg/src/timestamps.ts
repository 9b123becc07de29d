/**
 * Iceberg `timestamptz` is microseconds since the epoch (UTC). `Date` only holds milliseconds,
 * so ISO-8601 text is parsed here to keep the microsecond digits a producer sent.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** ISO-8601 instant with a zone (`Z` or `±hh:mm`) -> microseconds since the epoch; `undefined` if not one. */
export function isoToMicros(text: string): bigint | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 18 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const base = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  base.setUTCFullYear(year);
  // Sub-microsecond digits are truncated, as Iceberg writers do for microsecond columns.
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(base.getTime()) * 1000n + fraction - BigInt(offsetMinutes) * 60_000_000n;
}

/** Microseconds since the epoch -> `YYYY-MM-DDTHH:MM:SS.sss[sss]Z` (6 fraction digits only when needed). */
export function microsToIso(micros: bigint): string {
  let millis = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    millis -= 1n;
  }
  const iso = new Date(Number(millis)).toISOString();
  return rest === 0n ? iso : `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}
